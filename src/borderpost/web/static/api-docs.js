// Starts Swagger UI on /docs (kept out of the page so the CSP needs no inline script).
"use strict";
(function () {
  var node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: node.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
})();
