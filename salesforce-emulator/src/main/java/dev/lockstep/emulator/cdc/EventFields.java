package dev.lockstep.emulator.cdc;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's field values as a read-only map in schema order, stored as one array next to names shared by every
 * event of the same schema: the bus keeps an event per committed change for 72 hours, so this is what a million
 * retained events cost (about an array each, the values themselves being shared with the org's records).
 */
final class EventFields extends AbstractMap<String, Object> {

    private final String[] names;
    private final Object[] values;

    EventFields(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    @Override
    public Object get(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        for (String name : names) {
            if (name.equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < names.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>(names[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }

    /** A value by position in the schema's data fields (0 is the first field after the header). */
    Object valueAt(int index) {
        return values[index];
    }

    static Map<String, Object> of(String[] names, Object[] values) {
        return new EventFields(names, values);
    }
}
