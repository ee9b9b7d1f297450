package io.warhorse.core.deploy;

import io.undertow.servlet.api.ClassIntrospecter;
import io.undertow.servlet.api.InstanceFactory;
import io.undertow.servlet.api.InstanceHandle;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.metadata.javaee.spec.EnvironmentEntryMetaData;
import org.jboss.metadata.web.spec.WebCommonMetaData;

/**
 * How the app's servlets, filters, listeners and WebSocket endpoints are made: the no-argument constructor, then
 * {@code @Resource} fields filled from web.xml's {@code <env-entry>} values (by {@code name}, else
 * {@code class-name/field-name}), then the {@code @PostConstruct} methods, superclass first; releasing an instance
 * runs its {@code @PreDestroy} methods. Live WebSocket endpoint instances (one per open session) are counted for
 * the {@code websocket.open} gauge. Factories are made on the deploying thread; instances on request threads.
 */
final class ManagedInstances implements ClassIntrospecter {

    private final Map<String, Object> envEntries;
    private final AtomicInteger openEndpoints;

    ManagedInstances(Map<String, Object> envEntries, AtomicInteger openEndpoints) {
        this.envEntries = Map.copyOf(envEntries);
        this.openEndpoints = openEndpoints;
    }

    /** The instances of an app whose web.xml declares {@code web}'s env-entries. */
    static ManagedInstances of(WebCommonMetaData web, AtomicInteger openEndpoints) throws DeploymentException {
        Map<String, Object> entries = new HashMap<>();
        if (web.getEnvironmentEntries() != null) {
            for (EnvironmentEntryMetaData entry : web.getEnvironmentEntries()) {
                if (entry.getValue() != null) {
                    entries.put(entry.getEnvEntryName().trim(), value(entry));
                }
            }
        }
        return new ManagedInstances(entries, openEndpoints);
    }

    private static Object value(EnvironmentEntryMetaData entry) throws DeploymentException {
        String text = entry.getValue().trim();
        String type = entry.getType() == null ? "java.lang.String" : entry.getType().trim();
        try {
            return switch (type) {
                case "java.lang.String" -> entry.getValue();
                case "java.lang.Integer" -> Integer.valueOf(text);
                case "java.lang.Long" -> Long.valueOf(text);
                case "java.lang.Double" -> Double.valueOf(text);
                case "java.lang.Float" -> Float.valueOf(text);
                case "java.lang.Short" -> Short.valueOf(text);
                case "java.lang.Byte" -> Byte.valueOf(text);
                case "java.lang.Boolean" -> Boolean.valueOf(text);
                case "java.lang.Character" -> text.charAt(0);
                default -> throw new DeploymentException("env-entry " + entry.getEnvEntryName() + ": type " + type
                        + " is not one of String, Integer, Long, Double, Float, Short, Byte, Boolean, Character");
            };
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new DeploymentException("env-entry " + entry.getEnvEntryName() + ": \"" + text + "\" is not a "
                    + type, e);
        }
    }

    @Override
    public <T> InstanceFactory<T> createInstanceFactory(Class<T> type) throws NoSuchMethodException {
        Constructor<T> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        List<Method> postConstruct = lifecycle(type, PostConstruct.class);
        List<Method> preDestroy = lifecycle(type, PreDestroy.class);
        boolean endpoint = isEndpoint(type);
        return () -> {
            T instance = create(constructor);
            inject(instance, type);
            invoke(postConstruct, instance);
            if (endpoint) {
                openEndpoints.incrementAndGet();
            }
            java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
            return new InstanceHandle<>() {
                @Override
                public T getInstance() {
                    return instance;
                }

                @Override
                public void release() {
                    if (!released.compareAndSet(false, true)) {
                        return; // Undertow may release a WebSocket endpoint both on its close and its channel's
                    }
                    if (endpoint) {
                        openEndpoints.decrementAndGet();
                    }
                    try {
                        invoke(preDestroy, instance);
                    } catch (InstantiationException e) {
                        throw new IllegalStateException(e.getMessage(), e.getCause());
                    }
                }
            };
        };
    }

    private static <T> T create(Constructor<T> constructor) throws InstantiationException {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw failed(constructor.getDeclaringClass().getName() + "()", e.getCause());
        } catch (IllegalAccessException e) {
            throw failed(constructor.getDeclaringClass().getName() + "()", e);
        }
    }

    private void inject(Object instance, Class<?> type) throws InstantiationException {
        for (Class<?> at = type; at != null && at != Object.class; at = at.getSuperclass()) {
            for (Field field : declared(at, Class::getDeclaredFields, new Field[0])) {
                Resource resource = field.getAnnotation(Resource.class);
                if (resource == null || Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String name = resource.name().isEmpty() ? at.getName() + "/" + field.getName() : resource.name();
                Object value = envEntries.get(name);
                if (value != null && wraps(field.getType()).isInstance(value)) {
                    set(field, instance, value);
                }
            }
        }
    }

    private static void set(Field field, Object instance, Object value) throws InstantiationException {
        try {
            field.setAccessible(true);
            field.set(instance, value);
        } catch (IllegalAccessException | RuntimeException e) {
            throw failed("@Resource " + field, e);
        }
    }

    private static void invoke(List<Method> methods, Object instance) throws InstantiationException {
        for (Method method : methods) {
            try {
                method.invoke(instance);
            } catch (InvocationTargetException e) {
                throw failed(method.toString(), e.getCause());
            } catch (IllegalAccessException e) {
                throw failed(method.toString(), e);
            }
        }
    }

    /** Methods with {@code annotation} and no parameters, superclass first; an overridden one counts once. */
    private static List<Method> lifecycle(Class<?> type, Class<? extends Annotation> annotation) {
        List<Method> methods = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Class<?> at = type; at != null && at != Object.class; at = at.getSuperclass()) {
            for (Method method : declared(at, Class::getDeclaredMethods, new Method[0])) {
                boolean overridden = !Modifier.isPrivate(method.getModifiers()) && seen.contains(method.getName());
                if (method.isAnnotationPresent(annotation) && method.getParameterCount() == 0 && !overridden
                        && !Modifier.isStatic(method.getModifiers())) {
                    method.setAccessible(true);
                    methods.addFirst(method);
                }
                if (method.getParameterCount() == 0) {
                    seen.add(method.getName());
                }
            }
        }
        return methods;
    }

    /**
     * A class's fields or methods, or none when one of their types is missing from the WAR (a field of a JTA type
     * the app never uses, say): such a class cannot have them injected or called, but still deploys, as it would
     * where no container introspects it.
     */
    private static <M> M[] declared(Class<?> type, java.util.function.Function<Class<?>, M[]> members, M[] none) {
        try {
            return members.apply(type);
        } catch (LinkageError missingType) {
            return none;
        }
    }

    private static boolean isEndpoint(Class<?> type) {
        return type.isAnnotationPresent(jakarta.websocket.server.ServerEndpoint.class)
                || jakarta.websocket.Endpoint.class.isAssignableFrom(type);
    }

    private static Class<?> wraps(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
    }

    private static InstantiationException failed(String what, Throwable cause) {
        InstantiationException e = new InstantiationException(what + " failed: " + cause);
        e.initCause(cause);
        return e;
    }
}
