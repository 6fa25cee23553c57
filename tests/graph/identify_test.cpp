// Identification on textbook graphs with known answers.
#include "causeway/graph/identify.h"

#include <gtest/gtest.h>

#include "causeway/graph/graph_io.h"

namespace causeway {
namespace {

Identification identify_dot(const std::string& dot, IdentifyOptions options = {}) {
  auto g = parse_dot(dot, "test.dot");
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.status().message());
  CausalGraph graph = std::move(g).value();
  auto checked = check_graph(graph, "t", "y", {}, false);
  EXPECT_TRUE(checked.ok()) << (checked.ok() ? "" : checked.status().message());
  auto id = identify(graph, "t", "y", options);
  EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.status().message());
  return std::move(id).value();
}

const Strategy& strategy(const Identification& id, const std::string& name) {
  for (const auto& s : id.strategies)
    if (s.name == name) return s;
  throw std::runtime_error("no strategy " + name);
}

using Names = std::vector<std::string>;

TEST(Identify, SimpleConfounderIsAdjustedFor) {
  const auto id = identify_dot("digraph { z -> t; z -> y; t -> y; }");
  const Strategy& bd = strategy(id, "backdoor");
  ASSERT_TRUE(bd.applies);
  EXPECT_TRUE(bd.is_default);
  EXPECT_EQ(bd.variables, Names{"z"});
  EXPECT_EQ(bd.expression, "Σ_{z} P(y | t, z) P(z)");
  EXPECT_TRUE(id.identifiable);
}

TEST(Identify, MediatorIsNotAdjustedFor) {
  const auto id = identify_dot("digraph { t -> m; m -> y; }");
  EXPECT_EQ(strategy(id, "backdoor").variables, Names{});
  IdentifyOptions check;
  check.check_set = true;
  check.adjust_for = {"m"};
  const auto bad = identify_dot("digraph { t -> m; m -> y; }", check);
  EXPECT_FALSE(strategy(bad, "backdoor").applies);
  EXPECT_NE(strategy(bad, "backdoor").reason.find("'m' is a descendant"), std::string::npos);
}

TEST(Identify, ColliderIsLeftAlone) {
  // c is caused by both treatment and outcome: adjusting for it would open t -> c <- y.
  const std::string collider = "digraph { t -> y; t -> c; y -> c; w -> t; w -> y; }";
  EXPECT_EQ(strategy(identify_dot(collider), "backdoor").variables, Names{"w"});
  IdentifyOptions check;
  check.check_set = true;
  check.adjust_for = {"w", "c"};
  EXPECT_FALSE(strategy(identify_dot(collider, check), "backdoor").applies);
  IdentifyOptions maximal;
  maximal.adjustment = AdjustmentChoice::kMaximal;
  EXPECT_EQ(strategy(identify_dot(collider, maximal), "backdoor").variables, Names{"w"});
}

TEST(Identify, ColliderAndMBiasNeedNoAdjustment) {
  const std::string m_bias =
      "digraph { u1 [observed=no]; u2 [observed=no]; u1 -> t; u1 -> m; u2 -> m; u2 -> y; "
      "m -> x; t -> y; }";
  const auto id = identify_dot(m_bias);
  EXPECT_EQ(strategy(id, "backdoor").variables, Names{});
  IdentifyOptions check;
  check.check_set = true;
  check.adjust_for = {"m"};
  const auto opened = identify_dot(m_bias, check);
  EXPECT_FALSE(strategy(opened, "backdoor").applies);
  EXPECT_NE(strategy(opened, "backdoor").reason.find("t <- u1 -> m <- u2 -> y"), std::string::npos)
      << strategy(opened, "backdoor").reason;
  // The maximal set leaves the collider out.
  IdentifyOptions maximal;
  maximal.adjustment = AdjustmentChoice::kMaximal;
  EXPECT_EQ(strategy(identify_dot(m_bias, maximal), "backdoor").variables, Names{});
}

TEST(Identify, ButterflyBiasNeedsTheCentre) {
  // m is a confounder and a collider of the two other confounders' paths.
  const std::string butterfly =
      "digraph { a -> m; b -> m; a -> t; b -> y; m -> t; m -> y; t -> y; }";
  const auto id = identify_dot(butterfly);
  const Names set = strategy(id, "backdoor").variables;
  ASSERT_FALSE(set.empty());
  EXPECT_NE(std::find(set.begin(), set.end(), "m"), set.end());
  EXPECT_EQ(set.size(), 2u);  // m and one of a, b
  IdentifyOptions all;
  all.adjustment = AdjustmentChoice::kExhaustive;
  const auto every = identify_dot(butterfly, all);
  EXPECT_EQ(strategy(every, "backdoor").alternatives, (std::vector<Names>{{"a", "m"}, {"m", "b"}}));
}

TEST(Identify, FrontDoorWithHiddenConfounder) {
  const auto id = identify_dot("digraph { t -> m; m -> y; t -> y [dir=both]; }");
  EXPECT_FALSE(strategy(id, "backdoor").applies);
  EXPECT_NE(strategy(id, "backdoor").reason.find("t <-> y"), std::string::npos);
  const Strategy& fd = strategy(id, "frontdoor");
  ASSERT_TRUE(fd.applies);
  EXPECT_TRUE(fd.is_default);
  EXPECT_EQ(fd.variables, Names{"m"});
  EXPECT_EQ(fd.expression, "Σ_{m} P(m | t) Σ_{t'} P(y | t', m) P(t')");
}

TEST(Identify, InstrumentIsFoundAndLeakyOnesRejected) {
  const auto id = identify_dot("digraph { z -> t; t -> y; t -> y [dir=both]; }");
  const Strategy& iv = strategy(id, "iv");
  ASSERT_TRUE(iv.applies);
  EXPECT_EQ(iv.variables, Names{"z"});
  EXPECT_FALSE(strategy(id, "backdoor").applies);
  const auto leaky = identify_dot("digraph { z -> t; z -> y; t -> y; t -> y [dir=both]; }");
  EXPECT_FALSE(strategy(leaky, "iv").applies);
  EXPECT_NE(strategy(leaky, "iv").reason.find("z -> y"), std::string::npos);
}

TEST(Identify, BowGraphIsNotIdentifiable) {
  const auto id = identify_dot("digraph { t -> y; t -> y [dir=both]; }");
  EXPECT_FALSE(id.identifiable);
  for (const auto& s : id.strategies) EXPECT_FALSE(s.applies) << s.name;
  EXPECT_FALSE(id.reason.empty());
}

TEST(Identify, NapkinIsIdentifiedOnlyByTheGeneralAlgorithm) {
  const auto id = identify_dot(
      "digraph { w1 -> w2; w2 -> t; t -> y; w1 -> t [dir=both]; w1 -> y [dir=both]; }");
  EXPECT_FALSE(strategy(id, "backdoor").applies);
  EXPECT_FALSE(strategy(id, "frontdoor").applies);
  const Strategy& general = strategy(id, "id");
  ASSERT_TRUE(general.applies) << general.reason;
  EXPECT_TRUE(general.is_default);
  EXPECT_NE(general.expression.find("/"), std::string::npos) << general.expression;
  EXPECT_TRUE(id.identifiable);
}

}  // namespace
}  // namespace causeway
