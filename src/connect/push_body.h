// The pieces of one `push` request: the URL from the template and the JSON body from the fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "causeway/connect/push.h"

namespace causeway {

// Checks the template holds "{id}" and the fields' paths neither clash nor hold empty keys.
// Throws Error(kBadInput).
void check_push_template(const std::string& url_template, const std::vector<PushField>& fields);

// The template with every "{id}" replaced by the percent-encoded id.
std::string push_url(const std::string& url_template, const std::string& id);

// The body: `cells[i]` is the value of `fields[i]`'s column.
std::string push_body(const std::vector<PushField>& fields,
                      const std::vector<std::string_view>& cells);

}  // namespace causeway
