package io.sockeye.server.gateway.proxy;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into one array, up to a limit: past it the exchange is cancelled and the body
 * fails with {@link ProxyFailure.Reason#TOO_LARGE}, so a backend answering with a huge body costs at most
 * the limit in memory.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final int max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private byte[] bytes = new byte[256];
    private int size;
    private Flow.Subscription subscription;

    private LimitedBody(int max) {
        this.max = max;
    }

    /** Only a 200 answer's body is read; any other status is discarded and answered {@code null}. */
    static HttpResponse.BodyHandler<byte[]> handler(int max) {
        return info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            LimitedBody b = new LimitedBody(max);
            if (declared > max) {
                b.body.completeExceptionally(tooLarge(max));
            }
            return b;
        };
    }

    private static ProxyFailure tooLarge(int max) {
        return new ProxyFailure(ProxyFailure.Reason.TOO_LARGE, "answer longer than " + max + " bytes");
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (body.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            if ((long) size + n > max) {
                subscription.cancel();
                bytes = null;
                body.completeExceptionally(tooLarge(max));
                return;
            }
            if (size + n > bytes.length) {
                byte[] bigger = new byte[Math.min(max, Math.max(bytes.length * 2, size + n))];
                System.arraycopy(bytes, 0, bigger, 0, size);
                bytes = bigger;
            }
            b.get(bytes, size, n);
            size += n;
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        if (!body.isDone()) {
            byte[] out = new byte[size];
            System.arraycopy(bytes, 0, out, 0, size);
            body.complete(out);
        }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
