// The pages' style sheet and script (search-server/web/) and the API's OpenAPI document
// (search-server/openapi.json), embedded at build time (CMakeLists.txt generates
// web_assets.cpp), so the server binary is self-contained.
#pragma once

#include <string_view>

namespace mediateka::server::web {

extern const std::string_view kStyleCss;     // web/style.css, served at /static/style.css
extern const std::string_view kAppJs;        // web/app.js, served at /static/app.js
extern const std::string_view kOpenApiJson;  // openapi.json, served at /api/openapi.json
extern const std::string_view kFaviconSvg;   // web/favicon.svg, served at /favicon.ico

}  // namespace mediateka::server::web
