package dev.lockstep.emulator.cometd;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A Streaming API subscriber built like EMP-Connector on the standard CometD Java client ({@code BayeuxClient}
 * with the Jetty long-polling transport): the bearer token on every request, a 10 MB buffer, the replay
 * extension, a subscription made (and remade after every re-handshake) from a {@code /meta/handshake} listener,
 * and 401/403 failures of {@code /meta/handshake} and {@code /meta/connect} reported for the test to re-authenticate
 * and reconnect, as EMP's {@code AuthFailureListener} does.
 */
final class EmpLikeSubscriber implements AutoCloseable {

    private final HttpClient jetty;
    private final URI endpoint;
    private final String channel;
    private final ReplayExtension replay;
    private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> subscribeReplies = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> authFailures = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> handshakes = new LinkedBlockingQueue<>();
    private BayeuxClient client;

    EmpLikeSubscriber(HttpClient jetty, URI endpoint, String channel, long replayFrom) {
        this.jetty = jetty;
        this.endpoint = endpoint;
        this.channel = channel;
        this.replay = new ReplayExtension(Map.of(channel, replayFrom));
    }

    /** Handshakes with {@code token}; the handshake listener subscribes. */
    EmpLikeSubscriber start(String token) {
        // EMP-Connector's transport options; the transport adds its own, so the map must be mutable.
        Map<String, Object> options = new HashMap<>();
        options.put(ClientTransport.MAX_NETWORK_DELAY_OPTION, 15_000);
        options.put(ClientTransport.MAX_MESSAGE_SIZE_OPTION, 10 * 1024 * 1024);
        JettyHttpClientTransport transport = new JettyHttpClientTransport(options, jetty) {
            @Override
            protected void customize(Request request) {
                // EMP-Connector sends the bare token; the emulator takes that, Bearer and OAuth alike.
                request.headers(headers -> headers.put(HttpHeader.AUTHORIZATION, token));
            }
        };
        BayeuxClient c = new BayeuxClient(endpoint.toString(), transport);
        c.addExtension(replay);
        ClientSessionChannel.MessageListener onEvent = (ch, message) -> events.add(message.getDataAsMap());
        c.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener) (ch, message) -> {
            handshakes.add(message);
            if (message.isSuccessful()) {
                c.getChannel(channel).subscribe(onEvent, subscribeReplies::add);
            } else {
                reportAuthFailure(message);
            }
        });
        c.getChannel(Channel.META_CONNECT).addListener(
                (ClientSessionChannel.MessageListener) (ch, message) -> reportAuthFailure(message));
        this.client = c;
        c.handshake();
        return this;
    }

    /** EMP's rule: an error, or an {@code ext.sfdc.failureReason}, starting with 401 or 403. */
    private void reportAuthFailure(Message message) {
        if (message.isSuccessful()) {
            return;
        }
        String error = String.valueOf(message.get(Message.ERROR_FIELD));
        Object reason = null;
        Map<String, Object> ext = message.getExt();
        if (ext != null && ext.get("sfdc") instanceof Map<?, ?> sfdc) {
            reason = sfdc.get("failureReason");
        }
        if (error.startsWith("401") || error.startsWith("403") || String.valueOf(reason).startsWith("401")
                || String.valueOf(reason).startsWith("403")) {
            authFailures.add(message);
        }
    }

    /** EMP's re-authentication: disconnect, then a new client with a fresh token, resuming from the replay map. */
    EmpLikeSubscriber reconnect(String token) {
        stopClient();
        return start(token);
    }

    Message nextSubscribeReply() throws InterruptedException {
        return poll(subscribeReplies, "subscribe reply");
    }

    Message nextAuthFailure() throws InterruptedException {
        return poll(authFailures, "401/403 failure");
    }

    Message nextHandshake() throws InterruptedException {
        return poll(handshakes, "handshake reply");
    }

    Map<String, Object> nextEvent() throws InterruptedException {
        return poll(events, "event on " + channel);
    }

    /** No event arrives within {@code millis}. */
    Map<String, Object> eventWithin(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    ReplayExtension replay() {
        return replay;
    }

    BayeuxClient client() {
        return client;
    }

    private static <T> T poll(BlockingQueue<T> queue, String what) throws InterruptedException {
        T item = queue.poll(20, TimeUnit.SECONDS);
        if (item == null) {
            throw new AssertionError("No " + what + " within 20 s");
        }
        return item;
    }

    private void stopClient() {
        if (client != null) {
            client.disconnect(2_000);
            client = null;
        }
    }

    @Override
    public void close() {
        stopClient();
    }
}
