package io.sockeye.core.internal.socket;

import io.sockeye.core.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs middlewares one after the other, each deciding through a {@link Next} (socket.io's
 * {@code run(fns, callback)}). A middleware that calls {@code next} before returning continues the
 * chain in a loop (no deep recursion); one that calls it later, from any thread, resumes it through
 * the socket's {@link HandlerDispatcher}.
 *
 * @param <M> the middleware type
 */
final class MiddlewareChain<M> {

    private static final Logger log = LoggerFactory.getLogger(MiddlewareChain.class);

    /** Invokes one middleware. */
    interface Step<M> {
        void run(M middleware, Next next) throws Exception;
    }

    private final List<M> middlewares;
    private final Step<M> step;
    private final Consumer<Exception> done;
    private final HandlerDispatcher resume;

    /**
     * @param done called once: with {@code null} when every middleware proceeded, else with the
     *             rejection
     */
    MiddlewareChain(List<M> middlewares, Step<M> step, Consumer<Exception> done, HandlerDispatcher resume) {
        this.middlewares = middlewares;
        this.step = step;
        this.done = done;
        this.resume = resume;
    }

    /** Runs the chain from the first middleware on the calling thread. */
    void start() {
        advance(0);
    }

    private void advance(int index) {
        for (int i = index; ; i++) {
            if (i == middlewares.size()) {
                done.accept(null);
                return;
            }
            Call call = new Call(i);
            try {
                step.run(middlewares.get(i), call);
            } catch (Exception e) {
                if (!call.reject0(e)) {
                    log.warn("middleware threw after calling next; exception ignored", e);
                }
            }
            Exception rejection;
            synchronized (call) {
                if (call.outcome == Outcome.PENDING) {
                    call.async = true; // next will be called later; it resumes the chain itself
                    return;
                }
                rejection = call.error;
            }
            if (rejection != null) {
                done.accept(rejection);
                return;
            }
        }
    }

    private enum Outcome { PENDING, PROCEED, REJECT }

    private final class Call implements Next {
        private final int index;
        private Outcome outcome = Outcome.PENDING;
        private Exception error;
        private boolean async;

        Call(int index) {
            this.index = index;
        }

        @Override
        public void proceed() {
            boolean resumeNow;
            synchronized (this) {
                if (outcome != Outcome.PENDING) {
                    return;
                }
                outcome = Outcome.PROCEED;
                resumeNow = async;
            }
            if (resumeNow) {
                resume.execute(() -> advance(index + 1));
            }
        }

        @Override
        public void reject(Exception e) {
            reject0(e);
        }

        boolean reject0(Exception e) {
            Exception err = e != null ? e : new IllegalStateException("middleware rejected without an error");
            boolean resumeNow;
            synchronized (this) {
                if (outcome != Outcome.PENDING) {
                    return false;
                }
                outcome = Outcome.REJECT;
                error = err;
                resumeNow = async;
            }
            if (resumeNow) {
                resume.execute(() -> done.accept(err));
            }
            return true;
        }
    }
}
