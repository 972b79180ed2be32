package dev.jsing.sif;

/** An enum constant stored on disk as an int32 code. Codes are permanent. */
interface OnDiskCode {
    /** The on-disk code. */
    int code();

    /**
     * The constant of {@code values} with {@code code}; {@code unknown} (which stands for every code the library does
     * not know, and is never matched itself) otherwise.
     */
    static <E extends Enum<E> & OnDiskCode> E lookup(E[] values, int code, E unknown) {
        for (E t : values) {
            if (t.code() == code && t != unknown) {
                return t;
            }
        }
        return unknown;
    }
}
