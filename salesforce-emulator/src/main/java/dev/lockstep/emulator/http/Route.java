package dev.lockstep.emulator.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A route: method, path pattern ({@code {name}} matches one segment, a trailing {@code {name...}} the rest), the
 * API kind used by counters, faults and limits ({@code rest.query}, {@code bulk.ingest}, ...) and whether it
 * needs a session and counts against the API limit.
 */
public record Route(String method, List<String> pattern, String kind, Access access, Handler handler) {

    /** What a route requires of a request. */
    public enum Access {
        /** No session, not counted: version discovery, OAuth, the admin API. */
        OPEN,
        /** A valid session; counted against the daily API limit. */
        API
    }

    /** The path parameters if this route matches {@code segments}, else null. */
    Map<String, String> match(List<String> segments) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("...}")) {
                if (i >= segments.size()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 4), String.join("/", segments.subList(i, segments.size())));
                return params;
            }
            if (i >= segments.size()) {
                return null;
            }
            String s = segments.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), s);
            } else if (!p.equals(s)) {
                return null;
            }
        }
        return segments.size() == pattern.size() ? params : null;
    }
}
