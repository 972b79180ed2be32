/**
 * Text renderings of SIF images, identical to what Debian's {@code siftool} 2.8.3 prints for {@code header},
 * {@code list} and {@code info}.
 */
package dev.jsing.sif.text;
