#include "protocol/dav/multistatus.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::dav {
namespace {

const PropName kEtag{"DAV:", "getetag"};
const PropName kData{"urn:ietf:params:xml:ns:caldav", "calendar-data"};
const PropName kColor{"http://apple.com/ns/ical/", "calendar-color"};

TEST(Multistatus, TextPropertyIsEscapedInPlaceLikeAnEscapedValue) {
  Multistatus via_value;
  via_value.add("/c/a b.ics", {{kEtag, "&quot;1&quot;"}, {kData, "BEGIN:VCALENDAR&amp;&lt;x&gt;"}}, {kColor});
  Multistatus via_text;
  via_text.add_with_text("/c/a b.ics", {{kEtag, "&quot;1&quot;"}}, kData, "BEGIN:VCALENDAR&<x>", {kColor});
  EXPECT_EQ(via_text.render(), via_value.render());
  const std::string doc = via_text.render();
  EXPECT_NE(doc.find("<c:calendar-data>BEGIN:VCALENDAR&amp;&lt;x&gt;</c:calendar-data>"), std::string::npos) << doc;
  EXPECT_NE(doc.find("<d:status>HTTP/1.1 404 Not Found</d:status>"), std::string::npos);
  EXPECT_FALSE(via_text.empty());
}

TEST(Multistatus, TakeMovesOutTheSameDocumentRenderMakes) {
  Multistatus ms;
  EXPECT_TRUE(ms.empty());
  ms.reserve(1 << 16);
  ms.add_with_text("/c/e.ics", {}, kData, "", {});
  ms.add_status("/c/gone.ics", 404);
  ms.set_sync_token("http://bulwark/sync/7");
  const std::string rendered = ms.render();
  const std::string taken = std::move(ms).take();
  EXPECT_EQ(taken, rendered);
  EXPECT_EQ(taken.rfind("<?xml", 0), 0u);
  EXPECT_NE(taken.find("<c:calendar-data/>"), std::string::npos) << taken;
  EXPECT_NE(taken.find("<d:sync-token>http://bulwark/sync/7</d:sync-token>\n</d:multistatus>\n"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::protocol::dav
