// RFC 5256 2.1 base subject extraction, one row per rule of the algorithm.
#include "domain/mail/base_subject.h"

#include <gtest/gtest.h>

namespace bulwark::domain::mail {
namespace {

TEST(BaseSubjectTest, Table) {
  struct Case {
    std::string input;
    std::string base;
    bool is_reply_or_forward;
  };
  for (const auto& c : std::vector<Case>{
           {"Meeting", "Meeting", false},
           {"", "", false},
           {"   ", "", false},
           // step 1: tabs and line breaks to SP, runs collapsed
           {"a\t\tb\r\n c", "a b c", false},
           // step 2: trailing "(fwd)" and WSP, repeatedly
           {"Plans (fwd)", "Plans", true},
           {"Plans (FWD) (fwd)  ", "Plans", true},
           {"Plans(fwd)", "Plans", true},
           // step 3: subj-leader (re / fw / fwd, optional blob before the colon, blobs before it)
           {"Re: Plans", "Plans", true},
           {"RE:Plans", "Plans", true},
           {"re : Plans", "Plans", true},
           {"Fw: Plans", "Plans", true},
           {"FWD: Plans", "Plans", true},
           {"Re[2]: Plans", "Plans", true},
           {"Re [list]: Plans", "Plans", true},
           {"Re: Re: Fwd: Plans", "Plans", true},
           {"[list] Re: Plans", "Plans", true},
           {"[a][b] re: Plans", "Plans", true},
           {"Rex: Plans", "Rex: Plans", false},
           {"Re Plans", "Re Plans", false},
           // step 4: a leading blob goes only if something remains
           {"[list] Plans", "Plans", false},
           {"[list]", "[list]", false},
           {"[list]   ", "[list]", false},
           {"[a] [b] Plans", "Plans", false},
           {"[a] [b]", "[b]", false},
           // step 5: leaders and blobs alternate
           {"[list] Re: [other] Fwd: Plans", "Plans", true},
           // step 6: the "[fwd: ... ]" wrapper, then from step 2 again
           {"[Fwd: Plans]", "Plans", true},
           {"[fwd: Re: Plans (fwd)]", "Plans", true},
           {"[Fwd: [Fwd: Plans]]", "Plans", true},
           {"[fwd: Plans", "[fwd: Plans", false},
           // unbalanced brackets are no blob
           {"[list Plans", "[list Plans", false},
           {"Re: [a[b] Plans", "[a[b] Plans", true},
           // UTF-8 text (already decoded) is kept
           {"Re: Caf\xc3\xa9", "Caf\xc3\xa9", true},
       }) {
    const BaseSubject base = extract_base_subject(c.input);
    EXPECT_EQ(base.text, c.base) << c.input;
    EXPECT_EQ(base.is_reply_or_forward, c.is_reply_or_forward) << c.input;
  }
}

TEST(BaseSubjectTest, AsciiCasemap) {
  EXPECT_EQ(compare_ascii_casemap("abc", "ABC"), 0);
  EXPECT_LT(compare_ascii_casemap("abc", "abd"), 0);
  EXPECT_GT(compare_ascii_casemap("b", "A"), 0);
  EXPECT_LT(compare_ascii_casemap("ab", "abc"), 0);
  EXPECT_LT(compare_ascii_casemap("", "a"), 0);
  EXPECT_EQ(ascii_casemap_key("Caf\xc3\xa9 x"), "CAF\xc3\xa9 X");
}

}  // namespace
}  // namespace bulwark::domain::mail
