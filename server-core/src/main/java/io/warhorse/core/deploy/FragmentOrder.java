package io.warhorse.core.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.metadata.web.spec.AbsoluteOrderingMetaData;
import org.jboss.metadata.web.spec.OrderingElementMetaData;
import org.jboss.metadata.web.spec.WebFragmentMetaData;

/**
 * Which WEB-INF/lib jars take part in the app's descriptors and annotations, and in what order. An
 * {@code <absolute-ordering>} in web.xml is the app author's explicit choice and is applied: listed fragments in
 * that order, the rest where {@code <others/>} stands, or left out without it. Without one, jars count in name
 * order; fragments' own relative {@code <ordering>} is not applied.
 */
final class FragmentOrder {

    private FragmentOrder() {}

    /** One WEB-INF/lib jar and its web-fragment.xml, if it has one. */
    record Fragment(Path jar, WebFragmentMetaData descriptor) {

        String name() {
            return descriptor == null ? null : descriptor.getName();
        }

        boolean metadataComplete() {
            return descriptor != null && descriptor.isMetadataComplete();
        }
    }

    static List<Fragment> order(List<Fragment> inNameOrder, AbsoluteOrderingMetaData absolute) {
        if (absolute == null || absolute.getOrdering() == null) {
            return inNameOrder;
        }
        Set<String> listed = new HashSet<>();
        absolute.getOrdering().stream().filter(e -> !e.isOthers()).forEach(e -> listed.add(e.getName().trim()));
        List<Fragment> ordered = new ArrayList<>();
        for (OrderingElementMetaData element : absolute.getOrdering()) {
            if (element.isOthers()) {
                inNameOrder.stream().filter(f -> f.name() == null || !listed.contains(f.name())).forEach(ordered::add);
            } else {
                named(inNameOrder, element.getName().trim(), ordered);
            }
        }
        return ordered;
    }

    private static void named(List<Fragment> fragments, String name, List<Fragment> into) {
        fragments.stream().filter(f -> name.equals(f.name()) && !into.contains(f)).findFirst().ifPresent(into::add);
    }
}
