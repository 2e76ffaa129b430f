package dev.lockstep.emulator;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar salesforce-emulator.jar [--port N]}: runs the emulator until the process is stopped. */
public final class EmulatorMain {

    private EmulatorMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: salesforce-emulator [--port N]   (unknown argument: " + args[i] + ")");
                System.exit(2);
            }
        }
        EmulatorServer server = EmulatorServer.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        System.out.println("Salesforce emulator listening on " + server.baseUri());
        stopped.await();
    }
}
