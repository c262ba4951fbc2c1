package io.sockeye.spring.handler;

import io.sockeye.core.Middleware;
import io.sockeye.core.Namespace;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.spring.OnConnect;
import io.sockeye.spring.OnDisconnect;
import io.sockeye.spring.OnEvent;
import io.sockeye.spring.SocketIoController;
import io.sockeye.spring.SocketIoMiddleware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Registers the {@link SocketIoController} and {@link SocketIoMiddleware} beans on the server once every
 * singleton exists, so that each bean is the one Spring hands out (its proxy, if any) and not an object
 * captured before Spring wrapped it. Methods are found on the bean's target class
 * ({@link AopUtils#getTargetClass}) and invoked through the bean. Any namespace works, plain or dynamic.
 *
 * <p>Per namespace (and always on {@code /}), in this order: the {@link Middleware} that authenticates
 * sockets (when an authenticator is configured), the middleware beans in {@code @Order} order, then the
 * {@code tracker} (which a graceful stop drains) and one connection listener per controller that
 * attaches its event and disconnect handlers and calls its {@link OnConnect} methods.
 */
public final class SocketIoHandlerRegistrar implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SocketIoHandlerRegistrar.class);

    private final ListableBeanFactory beans;
    private final SocketIoServer io;
    private final HandlerMethod.Context context;
    private final Middleware authentication; // null: none
    private final Consumer<Socket> tracker;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private int handlers;

    public SocketIoHandlerRegistrar(ListableBeanFactory beans, SocketIoServer io, HandlerMethod.Context context,
                                    Middleware authentication, Consumer<Socket> tracker) {
        this.beans = beans;
        this.tracker = tracker;
        this.io = io;
        this.context = context;
        this.authentication = authentication;
    }

    @Override
    public void afterSingletonsInstantiated() {
        namespace(NamespaceRoute.parse("/"));
        List<Object> middlewares = new ArrayList<>(beans.getBeansWithAnnotation(SocketIoMiddleware.class).values());
        AnnotationAwareOrderComparator.sort(middlewares);
        for (Object bean : middlewares) {
            if (!(bean instanceof Middleware middleware)) {
                throw new IllegalStateException("@SocketIoMiddleware bean " + AopUtils.getTargetClass(bean).getName()
                        + " does not implement " + Middleware.class.getName());
            }
            SocketIoMiddleware annotation = AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(bean),
                    SocketIoMiddleware.class);
            namespace(NamespaceRoute.parse(annotation.namespace())).use(middleware);
        }
        for (String name : beans.getBeanNamesForAnnotation(SocketIoController.class)) {
            register(name, beans.getBean(name));
        }
        log.info("Socket.IO handlers: {} methods on namespaces {}", handlers, namespaces.keySet());
    }

    /** The namespaces that have handlers or middlewares (templates as written). */
    public List<String> namespaces() {
        return List.copyOf(namespaces.keySet());
    }

    private void register(String beanName, Object bean) {
        Class<?> target = AopUtils.getTargetClass(bean);
        SocketIoController controller = AnnotatedElementUtils.findMergedAnnotation(target, SocketIoController.class);
        if (controller == null) {
            return;
        }
        NamespaceRoute route = NamespaceRoute.parse(controller.namespace());
        List<HandlerMethod> onConnect = new ArrayList<>();
        List<HandlerMethod> onDisconnect = new ArrayList<>();
        Map<String, HandlerMethod> onEvent = new LinkedHashMap<>();
        for (Method method : MethodIntrospector.selectMethods(target,
                (MethodIntrospector.MetadataLookup<Boolean>) m -> isHandler(m) ? Boolean.TRUE : null).keySet()) {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            OnEvent event = AnnotatedElementUtils.findMergedAnnotation(method, OnEvent.class);
            if (event != null) {
                HandlerMethod previous = onEvent.put(event.value(), new HandlerMethod(bean, invocable, route, false, context));
                if (previous != null) {
                    throw new IllegalStateException("bean '" + beanName + "' handles event '" + event.value() + "' twice");
                }
            }
            if (AnnotatedElementUtils.hasAnnotation(method, OnConnect.class)) {
                onConnect.add(new HandlerMethod(bean, invocable, route, false, context));
            }
            if (AnnotatedElementUtils.hasAnnotation(method, OnDisconnect.class)) {
                onDisconnect.add(new HandlerMethod(bean, invocable, route, true, context));
            }
        }
        handlers += onConnect.size() + onDisconnect.size() + onEvent.size();
        Consumer<Socket> connection = socket -> {
            onEvent.forEach((event, handler) -> socket.on(event, (args, ack) -> handler.handle(socket, event, args, ack)));
            for (HandlerMethod handler : onDisconnect) {
                socket.onDisconnect(reason -> handler.call(socket, reason));
            }
            for (HandlerMethod handler : onConnect) {
                handler.call(socket, null);
            }
        };
        namespace(route).on("connection", connection);
    }

    private static boolean isHandler(Method m) {
        return AnnotatedElementUtils.hasAnnotation(m, OnEvent.class) || AnnotatedElementUtils.hasAnnotation(m, OnConnect.class)
                || AnnotatedElementUtils.hasAnnotation(m, OnDisconnect.class);
    }

    // One Namespace per template: a dynamic namespace's parent is created once and shared.
    private Namespace namespace(NamespaceRoute route) {
        return namespaces.computeIfAbsent(route.template(), t -> {
            Namespace ns = route.dynamic() ? io.of(route.pattern()) : io.of(route.template());
            if (authentication != null) {
                ns.use(authentication);
            }
            ns.on("connection", tracker);
            return ns;
        });
    }
}
