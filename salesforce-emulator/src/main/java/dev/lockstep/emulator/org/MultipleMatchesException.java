package dev.lockstep.emulator.org;

import java.util.List;

/** An upsert matched several records by its External ID (REST answers 300 with their URLs). */
public class MultipleMatchesException extends RecordException {

    private static final long serialVersionUID = 1L;

    private final String object;
    private final transient List<String> ids;

    public MultipleMatchesException(String object, String field, List<String> ids) {
        super(RecordError.of("DUPLICATE_EXTERNAL_ID", field + ": more than one record found for external id field: "
                + ids, field));
        this.object = object;
        this.ids = List.copyOf(ids);
    }

    public String object() {
        return object;
    }

    public List<String> ids() {
        return ids;
    }
}
