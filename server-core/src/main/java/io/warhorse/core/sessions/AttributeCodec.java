package io.warhorse.core.sessions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session attributes to bytes and back with Java serialization, each attribute on its own so that one that cannot
 * be written (or read back: its class changed) costs only itself. Classes resolve through the app's own class
 * loader. A failing attribute is logged once per name and app, then skipped: it stays in the worker that holds it.
 * Layout: an int count, then per attribute its name (UTF) and its serialized bytes (int length first): a
 * String, Integer, Long or Boolean in {@link PlainValues}' few bytes, anything else in Java serialization's. Runs on
 * request threads and the scavenger's; thread-safe.
 */
final class AttributeCodec {

    private static final Logger LOG = LoggerFactory.getLogger(AttributeCodec.class);

    private final String app;
    private final ClassLoader loader;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    AttributeCodec(String app, ClassLoader loader) {
        this.app = app;
        this.loader = loader;
    }

    byte[] encode(Map<String, Object> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Map<String, byte[]> written = new LinkedHashMap<>();
            attributes.forEach((name, value) -> {
                byte[] one = serialize(name, value);
                if (one != null) {
                    written.put(name, one);
                }
            });
            out.writeInt(written.size());
            for (Map.Entry<String, byte[]> entry : written.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeInt(entry.getValue().length);
                out.write(entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private byte[] serialize(String name, Object value) {
        byte[] plain = PlainValues.encode(value);
        if (plain != null) {
            return plain;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException | RuntimeException e) {
            reportOnce(name, "session attribute '" + name + "' of app " + app + " (" + value.getClass().getName()
                    + ") cannot be serialized (" + e + "): it stays in this worker's memory only, other workers and "
                    + "restarts will not see it; make the class Serializable or keep it out of the session");
            return null;
        }
        return bytes.toByteArray();
    }

    Map<String, Object> decode(byte[] data) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] one = in.readNBytes(in.readInt());
                Object value = deserialize(name, one);
                if (value != null) {
                    attributes.put(name, value);
                }
            }
        } catch (IOException | RuntimeException e) {
            reportOnce("", "a stored session of app " + app + " is unreadable (" + e + "); its attributes are dropped");
        }
        return attributes;
    }

    private Object deserialize(String name, byte[] bytes) {
        try {
            if (PlainValues.isPlain(bytes)) {
                return PlainValues.decode(bytes);
            }
            try (ObjectInputStream in = new AppObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
                return in.readObject();
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            reportOnce(name, "session attribute '" + name + "' of app " + app + " cannot be read back (" + e
                    + "): dropped from the session; was its class changed or removed?");
            return null;
        }
    }

    private void reportOnce(String name, String message) {
        if (reported.add(name)) {
            LOG.error("{} (pid {}; logged once per attribute name)", message, ProcessHandle.current().pid());
        }
    }

    /** Resolves classes through the app's loader, so that the app's own attribute classes are found. */
    private static final class AppObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        AppObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitives and arrays of them
            }
        }
    }
}
