package io.warhorse.core.deploy;

import jakarta.servlet.descriptor.JspConfigDescriptor;
import jakarta.servlet.descriptor.JspPropertyGroupDescriptor;
import jakarta.servlet.descriptor.TaglibDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jboss.metadata.web.spec.JspConfigMetaData;
import org.jboss.metadata.web.spec.JspPropertyGroupMetaData;
import org.jboss.metadata.web.spec.TaglibMetaData;

/**
 * web.xml's {@code <jsp-config>} as the {@link JspConfigDescriptor} that {@code ServletContext.getJspConfigDescriptor()}
 * returns and Jasper reads: Undertow parses no web.xml, so it has none of its own. Immutable; any thread.
 */
record JspDescriptor(Collection<TaglibDescriptor> getTaglibs,
                     Collection<JspPropertyGroupDescriptor> getJspPropertyGroups) implements JspConfigDescriptor {

    JspDescriptor {
        getTaglibs = List.copyOf(getTaglibs);
        getJspPropertyGroups = List.copyOf(getJspPropertyGroups);
    }

    /** The descriptor for {@code config}, or null when web.xml has no {@code <jsp-config>}. */
    static JspDescriptor of(JspConfigMetaData config) {
        if (config == null) {
            return null;
        }
        List<TaglibDescriptor> taglibs = new ArrayList<>();
        for (TaglibMetaData taglib : orEmpty(config.getTaglibs())) {
            taglibs.add(new Taglib(trim(taglib.getTaglibUri()), trim(taglib.getTaglibLocation())));
        }
        List<JspPropertyGroupDescriptor> groups = new ArrayList<>();
        for (JspPropertyGroupMetaData group : orEmpty(config.getPropertyGroups())) {
            groups.add(new Group(group));
        }
        return new JspDescriptor(taglibs, groups);
    }

    record Taglib(String getTaglibURI, String getTaglibLocation) implements TaglibDescriptor {}

    /** One {@code <jsp-property-group>}; an absent element reads as null, as Jasper expects. */
    record Group(JspPropertyGroupMetaData meta) implements JspPropertyGroupDescriptor {

        @Override
        public Collection<String> getUrlPatterns() {
            return orEmpty(meta.getUrlPatterns()).stream().map(String::trim).toList();
        }

        @Override
        public String getElIgnored() {
            return trim(meta.getElIgnored());
        }

        @Override
        public String getErrorOnELNotFound() {
            return trim(meta.getErrorOnElNotFound());
        }

        @Override
        public String getPageEncoding() {
            return trim(meta.getPageEncoding());
        }

        @Override
        public String getScriptingInvalid() {
            return trim(meta.getScriptingInvalid());
        }

        @Override
        public String getIsXml() {
            return trim(meta.getIsXml());
        }

        @Override
        public Collection<String> getIncludePreludes() {
            return orEmpty(meta.getIncludePreludes()).stream().map(String::trim).toList();
        }

        @Override
        public Collection<String> getIncludeCodas() {
            return orEmpty(meta.getIncludeCodas()).stream().map(String::trim).toList();
        }

        @Override
        public String getDeferredSyntaxAllowedAsLiteral() {
            return trim(meta.getDeferredSyntaxAllowedAsLiteral());
        }

        @Override
        public String getTrimDirectiveWhitespaces() {
            return trim(meta.getTrimDirectiveWhitespaces());
        }

        @Override
        public String getDefaultContentType() {
            return trim(meta.getDefaultContentType());
        }

        @Override
        public String getBuffer() {
            return trim(meta.getBuffer());
        }

        @Override
        public String getErrorOnUndeclaredNamespace() {
            return trim(meta.getErrorOnUndeclaredNamespace());
        }
    }

    private static String trim(String text) {
        return text == null ? null : text.trim();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
