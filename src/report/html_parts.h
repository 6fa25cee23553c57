// Pieces of the HTML report shared by its section files (html*.cpp): numbers that carry their
// exact value, table cells, lists and figures, and the sections kept apart.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "causeway/report/html.h"
#include "report/svg_plots.h"

namespace causeway::html {

using svg::escape;

// A number as shown, with its exact value for machines (the same double as in --json).
std::string number(double v, int decimals = 4);
std::string cell(double v, int decimals = 4);  // a right-aligned table cell of number()
std::string optional_cell(const std::optional<double>& v);  // "-" when absent
std::string list(const std::vector<std::string>& items);    // <ul>, items escaped
// A titled figure with its caption: every plot of the report.
std::string figure(const std::string& title, const std::string& svg, const std::string& caption);

std::string overlap_section(const DiagnosticsReport& d);
std::string balance_section(const DiagnosticsReport& d);
std::string uplift_section(const UpliftReport& u);

}  // namespace causeway::html
