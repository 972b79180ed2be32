package dev.jsing.sif;

/**
 * The Extra metadata of a signature object: the hash and the signing entity's fingerprint as upper-case hex ({@code ""}
 * when the 20 fingerprint bytes are all zero, as in DSSE signatures).
 */
public record SignatureInfo(int hashTypeCode, String entity) {
    public HashType hashType() {
        return HashType.of(hashTypeCode);
    }
}
