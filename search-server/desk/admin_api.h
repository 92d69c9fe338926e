// The desk's JSON API, /api/admin/* (docs/api.md, "The librarian's desk"): only a librarian's
// token may use it; a request that comes with the session cookie and changes something must
// also carry the CSRF token the desk's pages embed (header X-CSRF-Token or form field `csrf`).
// The pages (desk_pages.h) call the same functions.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archive/access/access_tokens.h"
#include "server_types.h"

namespace mediateka::server {

// The desk of `context`, for a request a librarian may make: throws ApiError 401 without a
// token, 403 for a reader's token (or a cookie request that changes something without the right
// CSRF token), 503 when this server has no desk.
Desk& desk_for(const ApiRequest& request, ServerContext& context, bool changes_something);

// The CSRF token of a librarian's session: a keyed hash of the token's id, so it is the same on
// every page of the session and useless for any other.
std::string csrf_token(const ServerContext& context, const std::string& token_id);

// The fields and the file of a desk form: multipart (a streamed upload) or URL-encoded.
struct DeskForm {
  std::map<std::string, std::string> fields;
  std::filesystem::path file;  // the uploaded file's temporary path; empty: none
  std::string file_name;       // as the client named it: for display and the extension only
};
DeskForm desk_form(const ApiRequest& request, const char* file_field);

// A reader's token made (audited, the authorizer reloaded) or revoked, for the API and the
// pages alike: ApiError 400 for wrong fields, 404 for no such reader's token, 503 when busy.
NewToken create_reader_token(const ApiRequest& request, ServerContext& context,
                             const std::vector<std::string>& groups, const std::string& label,
                             const std::string& expires);
void revoke_reader_token(const ApiRequest& request, ServerContext& context, const std::string& id);

Response post_admin_item(const ApiRequest& request, ServerContext& context);
Response get_admin_item(const ApiRequest& request, ServerContext& context);
Response patch_admin_item(const ApiRequest& request, ServerContext& context);
Response delete_admin_item(const ApiRequest& request, ServerContext& context);
Response post_admin_item_restore(const ApiRequest& request, ServerContext& context);
Response post_admin_item_replace(const ApiRequest& request, ServerContext& context);
Response post_admin_import(const ApiRequest& request, ServerContext& context);
Response get_admin_jobs(const ApiRequest& request, ServerContext& context);
Response get_admin_job(const ApiRequest& request, ServerContext& context);
Response get_admin_audit(const ApiRequest& request, ServerContext& context);
Response get_admin_tokens(const ApiRequest& request, ServerContext& context);
Response post_admin_token(const ApiRequest& request, ServerContext& context);
Response delete_admin_token(const ApiRequest& request, ServerContext& context);
Response get_admin_synonyms(const ApiRequest& request, ServerContext& context);
Response put_admin_synonyms(const ApiRequest& request, ServerContext& context);

}  // namespace mediateka::server
