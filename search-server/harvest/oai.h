// OAI-PMH 2.0 at /oai (oai.cpp): GET with the arguments in the query string, or POST with them
// as a form.
#pragma once

#include "server_types.h"

namespace mediateka::server {

Response get_oai(const ApiRequest& request, ServerContext& context);
Response post_oai(const ApiRequest& request, ServerContext& context);

}  // namespace mediateka::server
