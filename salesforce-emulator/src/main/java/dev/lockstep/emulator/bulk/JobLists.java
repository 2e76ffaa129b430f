package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Get All Jobs: {@code {"done", "records", "nextRecordsUrl"}}, {@value #PAGE_SIZE} jobs a page, oldest first.
 * The filters {@code jobType}, {@code concurrencyMode} and {@code isPkChunkingEnabled} are honoured against what
 * the emulator has: only its own job type, always Parallel, never PK chunking. {@code queryLocator} (the next
 * page) is opaque to clients; here it is the base64 of the page's first position.
 */
final class JobLists {

    static final int PAGE_SIZE = 1000;

    private JobLists() {}

    static Response answer(Request request, String resource, String jobType, List<? extends BulkJob> jobs) {
        boolean matches = request.query("jobType").map(jobType::equals).orElse(true)
                && request.query("concurrencyMode").map("Parallel"::equalsIgnoreCase).orElse(true)
                && !request.query("isPkChunkingEnabled").map("true"::equalsIgnoreCase).orElse(false);
        List<? extends BulkJob> selected = matches ? jobs : List.of();
        int from = request.query("queryLocator").map(JobLists::decode).orElse(0);
        if (from < 0 || from > selected.size()) {
            throw BulkErrors.apiError(400, "Invalid queryLocator: " + request.query("queryLocator").orElse(""));
        }
        int to = Math.min(selected.size(), from + PAGE_SIZE);
        List<Map<String, Object>> records = new ArrayList<>();
        for (BulkJob job : selected.subList(from, to)) {
            records.add(job.info(BulkJob.Detail.LISTED));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("done", to == selected.size());
        page.put("records", records);
        page.put("nextRecordsUrl", to == selected.size() ? null
                : request.dataPrefix() + "/jobs/" + resource + "?queryLocator=" + encode(to));
        return Response.json(200, page);
    }

    private static String encode(int position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Integer.toString(position).getBytes(StandardCharsets.US_ASCII));
    }

    private static int decode(String locator) {
        try {
            return Integer.parseInt(new String(Base64.getUrlDecoder().decode(locator), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
