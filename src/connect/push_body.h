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

// How a column's cells are sent, decided from all of them so that the field has one JSON type
// for every customer: numbers when every non-empty cell is a JSON number, text otherwise.
enum class CellKind { kNumber, kText };

// The kind of column `column` of `rows` (named `name` in file `path`, for messages). Throws
// Error(kBadInput) naming the row for a cell that is not UTF-8 text; in a column of numbers, for
// a cell that only looks like one (nan, inf, 1e400, +1, .5, NA) and for an empty cell (sent as
// null it would erase the field). `note` gets a line when a column mixing numbers and text is
// sent as text.
CellKind column_kind(const std::vector<std::vector<std::string>>& rows, std::size_t column,
                     const std::string& name, const std::string& path, std::string& note);

// The body: `cells[i]` is the value of `fields[i]`'s column, sent as `kinds[i]`.
std::string push_body(const std::vector<PushField>& fields,
                      const std::vector<std::string_view>& cells,
                      const std::vector<CellKind>& kinds);

}  // namespace causeway
