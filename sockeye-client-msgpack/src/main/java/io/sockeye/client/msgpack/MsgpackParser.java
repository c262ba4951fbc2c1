package io.sockeye.client.msgpack;

import io.socket.client.Manager;

/**
 * Plugs the msgpack parser into {@code io.socket:socket.io-client} 2.x, for servers that use
 * socket.io-msgpack-parser 3.x (a Node.js socket.io server with {@code parser: require("socket.io-msgpack-parser")},
 * or Sockeye with {@code parser: msgpack} or {@code auto}):
 *
 * <pre>{@code
 * IO.Options options = MsgpackParser.use(IO.Options.builder().build());
 * Socket socket = IO.socket(URI.create("https://example.com"), options);
 * }</pre>
 *
 * Event arguments are the client's usual org.json values; binary data ({@code byte[]}) travels inline
 * in the same message instead of as attachments.
 */
public final class MsgpackParser {

    private MsgpackParser() {
    }

    /** Sets the msgpack encoder and decoder on {@code options} (a new decoder per call) and returns them. */
    public static <T extends Manager.Options> T use(T options) {
        options.encoder = new MsgpackEncoder();
        options.decoder = new MsgpackDecoder();
        return options;
    }
}
