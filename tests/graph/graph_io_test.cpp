// Reading graphs: DOT through cgraph, GML by causeway, and the role lists.
#include "causeway/graph/graph_io.h"

#include <gtest/gtest.h>

namespace causeway {
namespace {

using Names = std::vector<std::string>;

Names names_of(const CausalGraph& g, const std::vector<int>& nodes) {
  Names out;
  for (int v : nodes) out.push_back(g.names[static_cast<std::size_t>(v)]);
  return out;
}

TEST(GraphIo, DotChainsSubgraphsAttributesAndHiddenConfounding) {
  const auto r = parse_dot(
      "digraph g { subgraph cluster_a { a -> b -> c; } \"tenure months\" -> c; "
      "u [observed=no]; u -> a; a -> c [dir=both]; b -> c; }",
      "g.dot");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const CausalGraph& g = r.value();
  EXPECT_EQ(names_of(g, g.parents[static_cast<std::size_t>(g.find("c"))]),
            (Names{"b", "tenure months"}));  // the repeated b -> c counted once
  EXPECT_FALSE(g.observed[static_cast<std::size_t>(g.find("u"))]);
  EXPECT_TRUE(g.observed[static_cast<std::size_t>(g.find("a"))]);
  ASSERT_EQ(g.bidirected.size(), 1u);
  EXPECT_EQ(g.names[static_cast<std::size_t>(g.bidirected[0].first)], "a");
  EXPECT_EQ(g.names[static_cast<std::size_t>(g.bidirected[0].second)], "c");
}

TEST(GraphIo, GmlNodesByIdWithLabelsUnobservedAndBidirected) {
  const auto r = parse_gml(R"(graph [
    directed 1   # a comment
    node [ id 0 label "tenure" ]
    node [ id 1 label "call" ]
    node [ id 2 label "renew" ]
    node [ id 3 label "brand" observed 0 ]
    edge [ source 0 target 1 ] edge [ source 0 target 2 ] edge [ source 1 target 2 ]
    edge [ source 3 target 2 ] edge [ source 1 target 2 dir "both" ]
  ])",
                           "g.gml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const CausalGraph& g = r.value();
  EXPECT_EQ(g.names, (Names{"tenure", "call", "renew", "brand"}));
  EXPECT_EQ(names_of(g, g.parents[2]), (Names{"tenure", "call", "brand"}));
  EXPECT_FALSE(g.observed[3]);
  ASSERT_EQ(g.bidirected.size(), 1u);
}

TEST(GraphIo, GmlErrorsNameTheLine) {
  const auto r = parse_gml("graph [\n directed 1\n edge [ source 1 target 2 ]\n]", "g.gml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("g.gml: line 3"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("source '1' is not a node id"), std::string::npos);
}

TEST(GraphIo, RolesBuildTheGraphDoWhyWouldDraw) {
  const CausalGraph g = graph_from_roles("t", "y", {{"w"}, {"z"}, {"x"}});
  EXPECT_EQ(names_of(g, g.parents[static_cast<std::size_t>(g.find("t"))]), (Names{"w", "z"}));
  EXPECT_EQ(names_of(g, g.parents[static_cast<std::size_t>(g.find("y"))]), (Names{"t", "w", "x"}));
}

}  // namespace
}  // namespace causeway
