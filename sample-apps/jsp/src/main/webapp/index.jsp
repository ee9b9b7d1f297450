<%@ page contentType="text/html; charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fmt" uri="jakarta.tags.fmt" %>
<%@ taglib prefix="w" tagdir="/WEB-INF/tags" %>
<!DOCTYPE html>
<html><head><title>warhorse JSP</title></head>
<body>
<h1>JSP on warhorse</h1>
<w:box title="Squares from JSTL">
  <ul><c:forEach var="i" begin="1" end="${empty param.n ? 5 : param.n}"><li>${i} squared is ${i * i}</li></c:forEach></ul>
</w:box>
<fmt:setLocale value="en_US"/>
<w:box title="Formatted by fmt">
  <p id="total"><fmt:formatNumber value="${1234567.891}" pattern="#,##0.00"/></p>
</w:box>
<p id="thread">rendered on <%= Thread.currentThread().isVirtual() ? "a virtual thread" : Thread.currentThread().getName() %></p>
</body></html>
