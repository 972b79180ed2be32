/**
 * Reading, creating and editing SIF (Singularity Image Format) files, byte for byte like the reference Go library
 * (sylabs/sif, spec version 01).
 *
 * <h2>On-disk layout</h2>
 *
 * All integers are little-endian and packed with no padding.
 *
 * <pre>
 *  offset 0 +---------------------------------------------------------------+
 *           | Global header, 128 bytes                                      |
 *           |   0  [32] LaunchScript   NUL-padded, "#!/usr/bin/env ..."     |
 *           |  32  [10] Magic          "SIF_MAGIC\0"                        |
 *           |  42   [3] Version        "01\0"                               |
 *           |  45   [3] Arch           two ASCII digits + NUL ("02\0"=amd64)|
 *           |  48  [16] ID             UUID, raw bytes                      |
 *           |  64  i64  CreatedAt      unix seconds                         |
 *           |  72  i64  ModifiedAt     unix seconds                         |
 *           |  80  i64  DescriptorsFree                                     |
 *           |  88  i64  DescriptorsTotal   (default 48)                     |
 *           |  96  i64  DescriptorsOffset  (default 4096)                   |
 *           | 104  i64  DescriptorsSize    (= Total * 585)                  |
 *           | 112  i64  DataOffset         (= DescOffset + DescSize)        |
 *           | 120  i64  DataSize           (end of last object - DataOffset)|
 *      128  +---------------------------------------------------------------+
 *           | zeros                                                         |
 * DescOffset+---------------------------------------------------------------+
 *           | Descriptor table: Total x 585 bytes                           |
 *           |   0  i32  DataType     0x4001..0x400B ({@link DataType})      |
 *           |   4  u8   Used                                                |
 *           |   5  u32  ID           slot index + 1                         |
 *           |   9  u32  GroupID      0xF0000000 | group (bare mask = none)  |
 *           |  13  u32  LinkedID     0 none; 0xF0000000|g group; else object|
 *           |  17  i64  Offset       absolute file offset of the object     |
 *           |  25  i64  Size                                                |
 *           |  33  i64  SizeWithPadding  alignment padding before + Size    |
 *           |  41  i64  CreatedAt    |  49 i64 ModifiedAt                   |
 *           |  57  i64  UID (0)      |  65 i64 GID (0)                      |
 *           |  73 [128] Name         NUL-padded                             |
 *           | 201 [384] Extra        type-specific, zero-padded:            |
 *           |       Partition     {i32 FsType, i32 PartType, [3] Arch}      |
 *           |       Signature     {i32 HashType, [256] Entity (20-byte fp)} |
 *           |       CryptoMessage {i32 Format, i32 MessageType}             |
 *           |       SBOM          {i32 Format}                              |
 *           |       OCI blob/index "sha256:&lt;hex&gt;", NUL-padded              |
 * DataOffset+---------------------------------------------------------------+
 *           | Data objects, appended at DataOffset + DataSize.              |
 *           | Partitions are aligned to 4096 (absolute offset) by default,  |
 *           | other objects are not aligned.                                |
 *           +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Deterministic images have a nil UUID and all times set to Go's zero time, {@code -62135596800}
 * ({@link dev.jsing.sif.SifImage#ZERO_TIME}); edits of such an image keep the zero time.
 *
 * <p>Entry points: {@link dev.jsing.sif.SifImage#open}, {@link dev.jsing.sif.SifImage#create},
 * {@link dev.jsing.sif.SifImage#openWritable}. This package uses only the JDK: no processes, no native code.
 */
package dev.jsing.sif;
