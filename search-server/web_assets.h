// The pages' style sheet and script, embedded at build time from search-server/web/
// (CMakeLists.txt generates web_assets.cpp), so the server binary is self-contained.
#pragma once

#include <string_view>

namespace mediateka::server::web {

extern const std::string_view kStyleCss;  // web/style.css, served at /static/style.css
extern const std::string_view kAppJs;     // web/app.js, served at /static/app.js

}  // namespace mediateka::server::web
