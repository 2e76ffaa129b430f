package dev.lockstep.emulator.rest;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.ApiVersions;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/** The REST API: version discovery and the resources under {@code /services/data/vXX.X}. */
public final class RestApi {

    private RestApi() {}

    public static void register(Router router, Emulator emulator) {
        router.add("GET", "/services/data", "rest.versions", Access.OPEN,
                request -> Response.json(200, ApiVersions.all()));
        router.add("GET", "/services/data/{version}", "rest.resources", Access.API, request -> {
            String prefix = request.dataPrefix();
            Map<String, String> resources = new LinkedHashMap<>();
            for (String name : new String[] {"sobjects", "query", "queryAll", "composite", "limits", "jobs"}) {
                resources.put(name, prefix + "/" + name);
            }
            return Response.json(200, resources);
        });
    }
}
