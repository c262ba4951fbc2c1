package io.sockeye.bench.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sockeye.bench.generator.Frames;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Socket.IO clients with connection state recovery, as {@code socket.io-client} 4.6+ behaves, for the
 * recovery storm (WebSocket only, main namespace). Each client keeps its session id ({@code pid}) from the
 * CONNECT reply and the offset of the last event (its last argument); on reconnect it sends
 * {@code {pid, offset}} as CONNECT payload and counts the events that arrive before the CONNECT reply as
 * replayed. Every client checks its stream by the publisher's sequence number (the message's {@code t}):
 * one it saw already is a duplicate, a gap is a loss; and offsets must keep increasing. Everything runs on
 * one event loop, so the state needs no locks; the runner reads it through {@link #onLoop}.
 */
final class RecoveryClients implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("\"pid\":\"([^\"]+)\"");
    /** Reconnection attempts after the first, one second apart (socket.io-client retries too). */
    static final int MAX_RETRIES = 5;
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Semaphore handshakes = new Semaphore(Plan.CONNECT_CONCURRENCY);
    /** Every channel opened and not closed yet (the group forgets a channel when it closes). */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean closed;
    final List<Client> clients = new ArrayList<>();

    RecoveryClients() {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    EventLoop loop() {
        return group.next();
    }

    <T> T onLoop(Callable<T> task) throws Exception {
        return loop().submit(task).get(60, TimeUnit.SECONDS);
    }

    /** One client; {@code room} null for the publisher (which joins nothing). */
    Client add(String room) {
        Client c = new Client(clients.size(), room);
        clients.add(c);
        return c;
    }

    /**
     * Opens a transport for each client to {@code port}, at most {@link Plan#CONNECT_CONCURRENCY} handshakes in
     * flight (released at each CONNECT reply or failure). Source addresses spread over 127.0.1.0/24 so a storm
     * of reconnections does not run out of ephemeral ports beside the closed connections' TIME_WAIT.
     */
    void connectAll(List<Client> which, int port, long timeoutMs) throws InterruptedException {
        for (Client c : which) {
            if (!handshakes.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
                return; // the rest stay unconnected and are reported so
            }
            loop().execute(() -> c.open(port, true));
        }
    }

    /** Closes every open transport of {@code which} at once, without a Socket.IO or WebSocket goodbye. */
    void dropAll(List<Client> which) throws Exception {
        onLoop(() -> {
            for (Client c : which) {
                c.drop();
            }
            return null;
        });
    }

    /** Channels opened and not closed yet. */
    int openChannels() {
        return channels.size();
    }

    /**
     * Closes every channel these clients opened, waits until each is closed, then stops the event loop: the
     * next scenario of the runner starts with none of these sockets (a storm of 10,000 clients holds 10,000
     * file descriptors). No reconnection is attempted once closing started.
     */
    @Override
    public void close() {
        closed = true;
        channels.close().awaitUninterruptibly(60_000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(60_000);
        if (!channels.isEmpty() || !group.isTerminated()) {
            throw new IllegalStateException("recovery clients not closed: " + channels.size() + " channels open, event loop "
                    + (group.isTerminated() ? "stopped" : "still running"));
        }
    }

    final class Client extends SimpleChannelInboundHandler<WebSocketFrame> {
        final int index;
        final String room;
        private Channel channel;
        private boolean handshakeHeld;
        String pid;
        String sid;
        String offset;
        /** Whether the current transport got its CONNECT reply. */
        boolean connected;
        boolean reconnecting;
        Boolean recovered;
        String error;
        long lastSeq = -1;
        long received;
        long replayed;
        long duplicates;
        long lost;
        long offsetsNotIncreasing;
        long openedNanos;
        long connectedNanos;

        private Client(int index, String room) {
            this.index = index;
            this.room = room;
        }

        boolean ready() {
            return connected && (room == null || joined);
        }

        private boolean joined;
        private int port;
        int retries;
        String lastRetryReason;
        private boolean webSocketOpen;

        private void open(int port, boolean holdsPermit) {
            if (closed) {
                handshakeHeld = handshakeHeld || holdsPermit;
                release();
                return;
            }
            this.port = port;
            reconnecting = pid != null;
            connected = false;
            webSocketOpen = false;
            handshakeHeld = holdsPermit;
            openedNanos = System.nanoTime();
            URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri).version(WebSocketVersion.V13).allowExtensions(false)
                    .maxFramePayloadLength(1 << 20).withUTF8Validator(false).dropPongFrames(true)
                    .handshakeTimeoutMillis(30_000).absoluteUpgradeUrl(false).generateOriginHeader(false).build();
            Client self = this;
            new Bootstrap().group(group).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            channels.add(ch);
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
                                    new WebSocketClientProtocolHandler(config), self);
                        }
                    })
                    .connect(new InetSocketAddress("127.0.0.1", port),
                            new InetSocketAddress("127.0.1." + (1 + index % 250), 0))
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            failed("connect: " + f.cause());
                        }
                    });
        }

        @Override
        public boolean isSharable() {
            return true; // one handler per client, added to each of its successive channels
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        private void drop() {
            connected = false;
            Channel ch = channel;
            channel = null; // its close is the drop, not a failure
            if (ch != null) {
                ch.close();
            }
        }

        private void failed(String why) {
            release();
            if (connected) {
                return;
            }
            if (reconnecting && retries < MAX_RETRIES && port > 0 && !closed) {
                // As socket.io-client does: try again a second later, with the same session and offset.
                retries++;
                lastRetryReason = why;
                Channel ch = channel;
                channel = null; // what this channel still reports is about an attempt given up
                if (ch != null) {
                    ch.close();
                }
                loop().schedule(() -> open(port, false), 1, TimeUnit.SECONDS);
                return;
            }
            if (error == null) {
                error = why;
            }
        }

        private void release() {
            if (handshakeHeld) {
                handshakeHeld = false;
                handshakes.release();
            }
        }

        void send(String packet) {
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(new TextWebSocketFrame(packet));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                webSocketOpen = true;
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                failed("websocket handshake timeout");
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!connected && ctx.channel() == channel) {
                // Seconds rounded, so the reasons group in the results.
                failed("closed before the CONNECT reply (websocket " + (webSocketOpen ? "open" : "not open") + ", after "
                        + (System.nanoTime() - openedNanos) / 1_000_000_000 + " s)");
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(String.valueOf(cause));
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame) {
                onPacket(frame.content().toString(StandardCharsets.UTF_8));
            }
        }

        private void onPacket(String p) {
            if (p.startsWith("42")) {
                onEvent(p);
            } else if (p.equals("2")) {
                send("3");
            } else if (p.startsWith("0{")) {
                // The Engine.IO handshake: connect to the main namespace, with the session on a reconnect.
                send(pid == null ? "40" : "40{\"pid\":" + Frames.jsonString(pid)
                        + (offset == null ? "" : ",\"offset\":" + Frames.jsonString(offset)) + "}");
            } else if (p.startsWith("40")) {
                onConnectReply(p);
            } else if (p.startsWith("43")) {
                joined = true; // the join's ack: the only request with an ack
            } else if (p.startsWith("44")) {
                failed("connect_error " + p);
            }
        }

        private void onConnectReply(String p) {
            Matcher m = PID.matcher(p);
            String newPid = m.find() ? m.group(1) : null;
            Matcher s = SID.matcher(p);
            String newSid = s.find() ? s.group(1) : null;
            if (reconnecting) {
                recovered = newPid != null && newPid.equals(pid) && newSid != null && newSid.equals(sid);
            }
            pid = newPid;
            sid = newSid;
            connected = true;
            connectedNanos = System.nanoTime();
            release();
            if (room != null && !reconnecting) {
                send("420[\"join\"," + Frames.jsonString(room) + "]");
            }
        }

        /** {@code 42["msg",{"room":…,"t":SEQ,"p":…},"OFFSET"]}. */
        private void onEvent(String p) {
            received++;
            if (!connected && reconnecting) {
                replayed++;
            }
            int t = p.indexOf("\"t\":");
            if (t >= 0) {
                int end = t + 4;
                while (end < p.length() && Character.isDigit(p.charAt(end))) {
                    end++;
                }
                long seq = Long.parseLong(p.substring(t + 4, end));
                if (lastSeq >= 0 && seq <= lastSeq) {
                    duplicates++;
                } else {
                    if (lastSeq >= 0) {
                        lost += seq - lastSeq - 1;
                    }
                    lastSeq = seq;
                }
            }
            int close = p.lastIndexOf('"');
            int open = p.lastIndexOf('"', close - 1);
            if (open > 0 && close == p.length() - 2) {
                String next = p.substring(open + 1, close);
                if (offset != null && compareOffsets(next, offset) <= 0) {
                    offsetsNotIncreasing++;
                }
                offset = next;
            }
        }
    }

    /**
     * Order of two offsets of one stream: Sockeye's node-local {@code epoch.sequence} compares as text within
     * an epoch; a Redis stream id {@code millis-sequence} compares number by number.
     */
    static int compareOffsets(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        if (da > 0 && db > 0 && a.indexOf('.') < 0 && b.indexOf('.') < 0) {
            try {
                int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
                return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        }
        return a.compareTo(b);
    }
}
