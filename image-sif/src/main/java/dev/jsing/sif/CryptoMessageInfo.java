package dev.jsing.sif;

/** The Extra metadata of a cryptographic message object. */
public record CryptoMessageInfo(int formatCode, int messageTypeCode) {
    public CryptoFormat format() {
        return CryptoFormat.of(formatCode);
    }

    public CryptoMessageType messageType() {
        return CryptoMessageType.of(messageTypeCode);
    }
}
