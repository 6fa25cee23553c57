#include "report/html_parts.h"

#include <fmt/format.h>

namespace causeway::html {

std::string number(double v, int decimals) {
  return fmt::format("<span data-value=\"{:.17g}\">{:.{}f}</span>", v, v, decimals);
}

std::string cell(double v, int decimals) {
  return "<td class=\"num\">" + number(v, decimals) + "</td>";
}

std::string optional_cell(const std::optional<double>& v) {
  return v ? cell(*v, 3) : "<td class=\"num\">-</td>";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "<ul>\n";
  for (const auto& i : items) out += "<li>" + escape(i) + "</li>\n";
  return out + "</ul>\n";
}

std::string figure(const std::string& title, const std::string& svg, const std::string& caption) {
  return fmt::format("<figure>\n<h3>{}</h3>\n{}<figcaption>{}</figcaption>\n</figure>\n",
                     escape(title), svg, escape(caption));
}

// The answer in plain words: the checked estimate and whether its interval rules out no effect.

}  // namespace causeway::html
