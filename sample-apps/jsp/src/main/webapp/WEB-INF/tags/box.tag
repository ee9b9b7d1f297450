<%@ tag description="A titled box around its body" pageEncoding="UTF-8" %>
<%@ attribute name="title" required="true" %>
<section class="box"><h2>${title}</h2><jsp:doBody/></section>
