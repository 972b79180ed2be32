/**
 * A registry client for the OCI distribution protocol and a content-addressed blob store, with no CLI dependencies.
 *
 * <ul>
 *   <li>{@link dev.jsing.oci.registry.ImageRef}: {@code docker://HOST[:PORT]/REPO[:TAG|@sha256:…]} and {@code oras://}.
 *   <li>{@link dev.jsing.oci.registry.RegistryClient}: manifests and indexes (OCI, Docker v2), Bearer-token and Basic
 *       authentication, retries with backoff, resumable ({@code Range}) blob downloads verified by digest and size,
 *       monolithic uploads and manifest pushes. Built on {@link java.net.HttpURLConnection}; see the module README for
 *       why the ORAS Java SDK was not used.
 *   <li>{@link dev.jsing.oci.registry.BlobStore}: {@code blobs/sha256/<hex>} with per-blob file locks and atomic
 *       renames, so concurrent pulls download each blob once.
 *   <li>{@link dev.jsing.oci.registry.ImagePuller}: resolves a platform manifest, fetches its blobs and lays them out
 *       as an OCI image layout for {@link dev.jsing.oci.OciImage}.
 * </ul>
 */
package dev.jsing.oci.registry;
