package io.warhorse.core.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jboss.metadata.merge.web.spec.WebCommonMetaDataMerger;
import org.jboss.metadata.parser.servlet.WebFragmentMetaDataParser;
import org.jboss.metadata.parser.servlet.WebMetaDataParser;
import org.jboss.metadata.parser.util.MetaDataElementParser.DTDInfo;
import org.jboss.metadata.property.PropertyReplacers;
import org.jboss.metadata.web.spec.WebCommonMetaData;
import org.jboss.metadata.web.spec.WebFragmentMetaData;
import org.jboss.metadata.web.spec.WebMetaData;

/**
 * Reads WEB-INF/web.xml and the web-fragment.xml of each WEB-INF/lib jar into one jboss-metadata model, which is
 * what the rest of the deployment maps. The app's own web.xml wins every conflict, then fragments in the order
 * {@link FragmentOrder} gives. Entities are never fetched: an old DOCTYPE web.xml must not make the server go to
 * the network.
 */
final class WebXmlReader {

    private WebXmlReader() {}

    /**
     * What the descriptors say.
     *
     * @param web            web.xml merged with the fragments (and, later, the annotations)
     * @param scanned        where annotations may be looked for: WEB-INF/classes and the jars whose fragment is not
     *                       metadata-complete; empty when web.xml is metadata-complete
     */
    record Descriptors(WebMetaData web, List<Path> scanned) {

        boolean metadataComplete() {
            return web.isMetadataComplete();
        }

        /** Adds what annotations declare; anything the descriptors already say wins. */
        void augment(WebCommonMetaData annotations) {
            WebCommonMetaDataMerger.augment(web, annotations, null, true);
        }
    }

    static Descriptors read(Path webRoot, List<Path> jars) throws IOException {
        WebMetaData web = readWebXml(webRoot.resolve("WEB-INF/web.xml"));
        List<Path> scanned = new ArrayList<>();
        if (web.isMetadataComplete()) {
            return new Descriptors(web, scanned);
        }
        Path classes = webRoot.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            scanned.add(classes);
        }
        for (FragmentOrder.Fragment fragment : FragmentOrder.order(fragments(jars), web.getAbsoluteOrdering())) {
            if (fragment.descriptor() != null) {
                WebCommonMetaDataMerger.augment(web, fragment.descriptor(), null, true);
            }
            if (!fragment.metadataComplete()) {
                scanned.add(fragment.jar());
            }
        }
        return new Descriptors(web, scanned);
    }

    private static List<FragmentOrder.Fragment> fragments(List<Path> jars) throws IOException {
        List<FragmentOrder.Fragment> fragments = new ArrayList<>();
        for (Path jar : jars) {
            fragments.add(new FragmentOrder.Fragment(jar, readFragment(jar)));
        }
        return fragments;
    }

    private static WebMetaData readWebXml(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new WebMetaData();
        }
        try (InputStream in = Files.newInputStream(file)) {
            DTDInfo dtd = new DTDInfo();
            return WebMetaDataParser.parse(reader(in, dtd), dtd, PropertyReplacers.noop());
        } catch (XMLStreamException | RuntimeException e) {
            throw new IOException("WEB-INF/web.xml is not valid: " + oneLine(e), e);
        }
    }

    private static WebFragmentMetaData readFragment(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("META-INF/web-fragment.xml");
            if (entry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return WebFragmentMetaDataParser.parse(reader(in, new DTDInfo()), PropertyReplacers.noop());
            }
        } catch (ZipException e) {
            throw new IOException("WEB-INF/lib/" + jar.getFileName() + " is not a valid jar: " + oneLine(e), e);
        } catch (XMLStreamException | RuntimeException e) {
            throw new IOException("WEB-INF/lib/" + jar.getFileName() + "!/META-INF/web-fragment.xml is not valid: "
                    + oneLine(e), e);
        }
    }

    private static XMLStreamReader reader(InputStream in, DTDInfo dtd) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setXMLResolver(dtd);
        return factory.createXMLStreamReader(in);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
