#include "parse/dav_xml/xml_tree.h"

#include <gtest/gtest.h>

#include "parse/dav_xml/xml_writer.h"

namespace bulwark::parse::dav_xml {
namespace {

XmlLimits limits() {
  XmlLimits l;
  l.max_depth = 6;
  l.max_elements = 50;
  l.max_bytes = 4096;
  return l;
}

TEST(XmlTree, ResolvesNamespacesAndText) {
  auto tree = parse_xml(R"(<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
      <d:prop><d:displayname/><c:calendar-data>a &amp; b</c:calendar-data><x xmlns="urn:other"/></d:prop></d:propfind>)",
                        limits());
  ASSERT_TRUE(tree) << tree.error().detail;
  EXPECT_TRUE(tree->is(kDav, "propfind"));
  const auto* prop = tree->child(kDav, "prop");
  ASSERT_NE(prop, nullptr);
  ASSERT_EQ(prop->children.size(), 3u);
  EXPECT_TRUE(prop->children[1].is(kCalDav, "calendar-data"));
  EXPECT_EQ(prop->children[1].text, "a & b");
  EXPECT_TRUE(prop->children[2].is("urn:other", "x"));
}

TEST(XmlTree, RefusesExternalEntities) {
  auto tree = parse_xml(R"(<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <d:propfind xmlns:d="DAV:"><d:prop>&xxe;</d:prop></d:propfind>)", limits());
  ASSERT_FALSE(tree);
  EXPECT_EQ(tree.error().code, Errc::invalid_syntax);
  EXPECT_NE(tree.error().detail.find("DTD"), std::string::npos);
}

TEST(XmlTree, RefusesInternalEntityBombs) {
  auto tree = parse_xml(R"(<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><a>&lol2;</a>)",
                        limits());
  ASSERT_FALSE(tree);
}

TEST(XmlTree, RefusesUndeclaredEntities) {
  EXPECT_FALSE(parse_xml("<a>&undefined;</a>", limits()));
}

TEST(XmlTree, LimitsDepth) {
  EXPECT_TRUE(parse_xml("<a><b><c><d><e><f/></e></d></c></b></a>", limits()));
  auto deep = parse_xml("<a><b><c><d><e><f><g/></f></e></d></c></b></a>", limits());
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().detail.find("deep"), std::string::npos);
}

TEST(XmlTree, LimitsElementsAndBytes) {
  std::string many = "<a>";
  for (int i = 0; i < 60; ++i) many += "<b/>";
  many += "</a>";
  auto tree = parse_xml(many, limits());
  ASSERT_FALSE(tree);
  EXPECT_NE(tree.error().detail.find("too many"), std::string::npos);
  EXPECT_FALSE(parse_xml("<a>" + std::string(5000, 'x') + "</a>", limits()));
}

TEST(XmlTree, RefusesMalformed) {
  EXPECT_FALSE(parse_xml("<a><b></a>", limits()));
  EXPECT_FALSE(parse_xml("", limits()));
  EXPECT_FALSE(parse_xml("just text", limits()));
}

TEST(XmlWriter, Escapes) {
  EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>\x01"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

TEST(XmlWriter, AppendsEscapedRunsAfterExistingText) {
  std::string out = "<x>";
  append_xml_escaped(out, "plain run\r\nDESCRIPTION:a\x02" "b & <c>\tend");
  EXPECT_EQ(out, "<x>plain run\r\nDESCRIPTION:ab &amp; &lt;c&gt;\tend");
  append_xml_escaped(out, "");
  append_xml_escaped(out, "&");
  EXPECT_EQ(out, "<x>plain run\r\nDESCRIPTION:ab &amp; &lt;c&gt;\tend&amp;");
}

}  // namespace
}  // namespace bulwark::parse::dav_xml
