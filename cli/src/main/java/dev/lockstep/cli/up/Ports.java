package dev.lockstep.cli.up;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The local stack's TCP ports, all on the loopback interface: whether one is free, and free ones to use. */
public final class Ports {

    /** Every part of the stack listens here only: nothing is reachable from other machines. */
    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** Whether {@code port} can be listened on at {@value #HOST} now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free now (the system's choice). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UpException("Cannot find a free TCP port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails when {@code port} is taken, naming what needed it and the option that chooses another.
     *
     * @param what what the port is for, e.g. {@code the Kafka Connect REST API}
     * @param option the command-line option that sets it, e.g. {@code --connect-port}
     */
    public static void requireFree(int port, String what, String option) {
        if (!isFree(port)) {
            throw new UpException("Port " + port + " (" + what + ") is in use by another program: stop that program, "
                    + "or choose another port with " + option + " N.");
        }
    }

    /**
     * The port a previous run used, when it is still free, so that URLs and connector configurations stay the same
     * from run to run; otherwise a free one.
     *
     * @param remembered the previous run's port, or a negative number for none
     */
    public static int rememberedOrFree(int remembered) {
        return remembered > 0 && isFree(remembered) ? remembered : free();
    }
}
