package dev.signet.core.aws;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An event's payload in its item: deflated ({@value #DEFLATED}, binary) when that is smaller, as it is
 * for any JSON of a few hundred bytes, else as text ({@value #TEXT}). DynamoDB bills a write per started
 * KiB of the item, so a 1 KiB payload that deflates to ~500 bytes makes the event one write unit instead
 * of two, and a 64 KiB one about a quarter of its 65 (COST.md). Items written as text (before 2026-12-02,
 * or small payloads) read as before. The exact text is kept: inflating gives back the same bytes.
 */
final class StoredPayload {
    static final String TEXT = "payload";
    static final String DEFLATED = "payload_z";
    /** Below this, deflate's own overhead leaves little to gain and the item is well under 1 KiB anyway. */
    private static final int SMALLEST_DEFLATED = 128;
    /**
     * The most an inflated payload may hold: far above the largest payload ingest accepts (a request body
     * is at most 256 KiB), so only a corrupted item reaches it.
     */
    private static final int MAX_INFLATED = 1 << 20;

    private StoredPayload() {
    }

    static void put(Map<String, AttributeValue> item, String payload) {
        byte[] text = payload.getBytes(StandardCharsets.UTF_8);
        if (text.length >= SMALLEST_DEFLATED) {
            byte[] deflated = deflate(text);
            if (deflated.length < text.length) {
                item.put(DEFLATED, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(deflated)));
                return;
            }
        }
        item.put(TEXT, AttributeValue.fromS(payload));
    }

    /** The payload as the product sent it, or null when the item has none. */
    static String from(Map<String, AttributeValue> item) {
        AttributeValue deflated = item.get(DEFLATED);
        if (deflated != null && deflated.b() != null) {
            return new String(inflate(deflated.b().asByteArrayUnsafe()), StandardCharsets.UTF_8);
        }
        AttributeValue text = item.get(TEXT);
        return text == null ? null : text.s();
    }

    static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 64);
            byte[] buffer = new byte[Math.min(input.length + 64, 16 * 1024)];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static byte[] inflate(byte[] input) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 3);
            byte[] buffer = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("a stored payload is cut short: the event item is corrupted");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new IllegalStateException("a stored payload inflates beyond " + MAX_INFLATED + " bytes: the event item is corrupted");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("a stored payload does not inflate: the event item is corrupted", e);
        } finally {
            inflater.end();
        }
    }
}
