package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

    private static ServerSocket listening() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
        return socket;
    }

    @Test
    void portSomeoneListensOnIsNotFreeAndTheMessageNamesItsUseAndOption() throws Exception {
        try (ServerSocket taken = listening()) {
            int port = taken.getLocalPort();

            assertThat(Ports.isFree(port)).isFalse();
            assertThatThrownBy(() -> Ports.requireFree(port, "the Kafka Connect REST API", "--connect-port"))
                    .isInstanceOf(UpException.class)
                    .hasMessage("Port " + port + " (the Kafka Connect REST API) is in use by another program: stop "
                            + "that program, or choose another port with --connect-port N.");
        }
    }

    @Test
    void closedPortIsFreeAgain() throws Exception {
        int port;
        try (ServerSocket taken = listening()) {
            port = taken.getLocalPort();
        }
        assertThat(Ports.isFree(port)).isTrue();
        Ports.requireFree(port, "anything", "--any-port");
    }

    @Test
    void rememberedPortIsReusedWhileFreeAndReplacedWhenTaken() throws Exception {
        int free = Ports.free();
        assertThat(Ports.rememberedOrFree(free)).isEqualTo(free);
        try (ServerSocket taken = listening()) {
            int replacement = Ports.rememberedOrFree(taken.getLocalPort());
            assertThat(replacement).isNotEqualTo(taken.getLocalPort());
            assertThat(Ports.isFree(replacement)).isTrue();
        }
        assertThat(Ports.rememberedOrFree(-1)).isPositive();
    }
}
