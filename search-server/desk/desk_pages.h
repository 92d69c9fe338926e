// The librarian's desk as Polish web pages under /biblioteka (docs/desk.md, "The pages"):
// server-rendered, usable without JavaScript, for librarians' tokens only. Every form carries
// the session's CSRF token (admin_api.h csrf_token) and every POST answers 303 (PRG); the
// changes go through the same Desk as /api/admin/*.
#pragma once

#include "server_types.h"

namespace mediateka::server {

Response get_desk_home(const ApiRequest& request, ServerContext& context);  // GET /biblioteka
Response get_desk_add(const ApiRequest& request, ServerContext& context);
Response post_desk_add(const ApiRequest& request, ServerContext& context);
Response get_desk_import(const ApiRequest& request, ServerContext& context);
Response post_desk_import(const ApiRequest& request, ServerContext& context);
Response get_desk_job(const ApiRequest& request, ServerContext& context);
Response post_desk_job_apply(const ApiRequest& request, ServerContext& context);
Response get_desk_item(const ApiRequest& request, ServerContext& context);
Response post_desk_item(const ApiRequest& request, ServerContext& context);
Response post_desk_item_file(const ApiRequest& request, ServerContext& context);
Response get_desk_item_withdraw(const ApiRequest& request, ServerContext& context);
Response post_desk_item_withdraw(const ApiRequest& request, ServerContext& context);
Response post_desk_item_restore(const ApiRequest& request, ServerContext& context);
Response get_desk_tokens(const ApiRequest& request, ServerContext& context);
Response post_desk_tokens(const ApiRequest& request, ServerContext& context);
Response get_desk_new_token(const ApiRequest& request, ServerContext& context);
Response get_desk_token_revoke(const ApiRequest& request, ServerContext& context);
Response post_desk_token_revoke(const ApiRequest& request, ServerContext& context);
// GET /biblioteka/zapytania?dni=7|30: what visitors searched (desk/query_log.h).
Response get_desk_queries(const ApiRequest& request, ServerContext& context);
Response get_desk_history(const ApiRequest& request, ServerContext& context);

}  // namespace mediateka::server
