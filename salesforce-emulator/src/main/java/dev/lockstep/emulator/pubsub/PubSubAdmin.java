package dev.lockstep.emulator.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.OrgException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pub/Sub part of the admin API ({@code /__emulator/pubsub}): where the listeners are, the TLS certificate to
 * trust, and the settings tests shorten.
 *
 * <ul>
 *   <li>{@code GET /__emulator/pubsub}: ports, targets, settings, and the open Subscribe calls (rpc id, topic,
 *       FetchRequests taken, events owed, events delivered).</li>
 *   <li>{@code GET /__emulator/pubsub/certificate}: the TLS certificate as PEM
 *       ({@code application/x-pem-file}); 404 without a TLS listener.</li>
 *   <li>{@code PUT /__emulator/pubsub/settings}: {@code {"keepaliveMillis":..,"idleTimeoutMillis":..,
 *       "compoundParentBit":..}}, each optional; applies to streams opened afterwards.</li>
 * </ul>
 */
public final class PubSubAdmin {

    private PubSubAdmin() {}

    public static void register(Router router, Emulator emulator) {
        router.add("GET", "/__emulator/pubsub", "admin", Access.OPEN, r -> status(emulator));
        router.add("GET", "/__emulator/pubsub/certificate", "admin", Access.OPEN, r -> {
            String pem = emulator.pubsub().certificatePem();
            if (pem == null) {
                throw new OrgException(404, "NOT_FOUND", "The Pub/Sub API has no TLS listener");
            }
            return Response.text(200, "application/x-pem-file", pem);
        });
        router.add("PUT", "/__emulator/pubsub/settings", "admin", Access.OPEN, r -> settings(emulator, r));
    }

    private static Response status(Emulator emulator) {
        PubSubServer pubsub = emulator.pubsub();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("port", pubsub.port());
        body.put("tlsPort", pubsub.tlsPort());
        body.put("target", pubsub.target());
        body.put("tlsTarget", pubsub.tlsTarget());
        body.put("keepaliveMillis", pubsub.keepalive().toMillis());
        body.put("idleTimeoutMillis", pubsub.idleTimeout().toMillis());
        body.put("compoundParentBit", pubsub.compoundParentBit());
        body.put("openStreams", pubsub.openStreams());
        body.put("streams", pubsub.streamInfo());
        return Response.json(200, body);
    }

    private static Response settings(Emulator emulator, Request request) {
        JsonNode body = request.json();
        PubSubServer pubsub = emulator.pubsub();
        try {
            if (body.has("keepaliveMillis")) {
                pubsub.setKeepalive(Duration.ofMillis(body.get("keepaliveMillis").asLong()));
            }
            if (body.has("idleTimeoutMillis")) {
                pubsub.setIdleTimeout(Duration.ofMillis(body.get("idleTimeoutMillis").asLong()));
            }
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", e.getMessage(), List.of("keepaliveMillis",
                    "idleTimeoutMillis"));
        }
        if (body.has("compoundParentBit")) {
            pubsub.setCompoundParentBit(body.get("compoundParentBit").asBoolean());
        }
        return status(emulator);
    }
}
