package dev.lockstep.emulator.pubsub;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The bitmap form of a change event header's {@code changedFields}, {@code nulledFields} and {@code diffFields}
 * on the Pub/Sub API (reference §5.4). Element 0 is {@code 0x} + uppercase hex, an even number of digits, of one
 * big-endian unsigned integer whose bit <i>i</i> stands for top-level schema field <i>i</i> (0 is
 * {@code ChangeEventHeader}); then one {@code <index>-0x<hex>} element per compound field (address, geolocation,
 * person name) with changed components, over the nested record's fields.
 *
 * <p>Choices where Salesforce's documentation leaves room:
 * <ul>
 *   <li>A compound's own bit is not set in element 0 (the documentation says element 0 covers the non-compound
 *       fields); {@code parentBit} sets it as well, as the documentation's example shows.</li>
 *   <li>When only compound components changed, element 0 is still written, as {@code 0x00}: Node's
 *       pub-sub-api-node-client reads the compound elements only when the array has more than one element.</li>
 *   <li>Names the schema does not have are left out rather than failing the event.</li>
 * </ul>
 */
final class FieldBitmaps {

    private FieldBitmaps() {}

    /** The bitmap array of {@code names} (top-level names, or compound components as {@code BillingAddress.City}). */
    static List<String> encode(Schema schema, List<String> names, boolean parentBit) {
        if (names.isEmpty()) {
            return List.of();
        }
        BitSet top = new BitSet();
        Map<Integer, BitSet> nested = new TreeMap<>();
        for (String name : names) {
            int dot = name.indexOf('.');
            if (dot < 0) {
                Schema.Field field = schema.getField(name);
                if (field != null) {
                    top.set(field.pos());
                }
                continue;
            }
            Schema.Field parent = schema.getField(name.substring(0, dot));
            Schema record = parent == null ? null : nestedRecord(parent.schema());
            Schema.Field child = record == null ? null : record.getField(name.substring(dot + 1));
            if (child == null) {
                continue;
            }
            nested.computeIfAbsent(parent.pos(), k -> new BitSet()).set(child.pos());
            if (parentBit) {
                top.set(parent.pos());
            }
        }
        if (top.isEmpty() && nested.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(1 + nested.size());
        out.add(hex(top));
        nested.forEach((index, bits) -> out.add(index + "-" + hex(bits)));
        return out;
    }

    /** The record inside a compound's union: {@code [null, R]}, {@code [string, R]} or {@code [null, string, R]}. */
    static Schema nestedRecord(Schema schema) {
        if (schema.getType() == Schema.Type.RECORD) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.RECORD) {
                    return branch;
                }
            }
        }
        return null;
    }

    /** {@code 0x} + the bits as a big-endian number in uppercase hex, whole bytes; {@code 0x00} when empty. */
    static String hex(BitSet bits) {
        // toByteArray is little-endian (byte 0 holds bits 0-7) without high zero bytes: read it backwards.
        byte[] little = bits.toByteArray();
        if (little.length == 0) {
            return "0x00";
        }
        StringBuilder out = new StringBuilder(2 + little.length * 2).append("0x");
        for (int i = little.length - 1; i >= 0; i--) {
            int b = little[i] & 0xFF;
            out.append(HEX[b >>> 4]).append(HEX[b & 0x0F]);
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
