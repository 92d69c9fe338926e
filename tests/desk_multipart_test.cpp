// The desk's streaming multipart/form-data parser (search-server/desk/multipart.h): fields, files
// written to temporary files, boundaries split across chunks at every offset, CRLF edge cases,
// file names kept only as display text, limits and errors, and nothing left behind on failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "desk/multipart.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;
using mediateka::server::BoundaryOrError;
using mediateka::server::MultipartLimits;
using mediateka::server::MultipartParser;
using mediateka::server::UploadedForm;
using mediateka::test::read_file;
using mediateka::test::TemporaryFolder;

const std::string kBoundary = "----mtkBoundary7MA4YWxkTrZu0gW";

std::string field_part(const std::string& name, const std::string& value) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
         value + "\r\n";
}

std::string file_part(const std::string& name, const std::string& filename,
                      const std::string& bytes, const std::string& type = "application/pdf") {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
         "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes + "\r\n";
}

std::string closing() { return "--" + kBoundary + "--\r\n"; }

std::size_t files_in(const fs::path& folder) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++count;
  return count;
}

class MultipartTest : public ::testing::Test {
 protected:
  // Feeds `body` in pieces of `step` bytes (all at once when 0) and finishes.
  std::shared_ptr<UploadedForm> parse(const std::string& body, std::size_t step = 0,
                                      MultipartLimits limits = {}) {
    parser_ = std::make_unique<MultipartParser>(kBoundary, folder_.path(), limits);
    if (step == 0) step = body.size() + 1;
    for (std::size_t at = 0; at < body.size(); at += step) {
      if (!parser_->feed(std::string_view(body).substr(at, step))) return nullptr;
    }
    if (!parser_->finish()) return nullptr;
    return parser_->take_form();
  }
  std::string error_code() const { return parser_->error() ? parser_->error()->code : ""; }
  int error_status() const { return parser_->error() ? parser_->error()->status : 0; }

  TemporaryFolder folder_;
  std::unique_ptr<MultipartParser> parser_;
};

TEST_F(MultipartTest, FieldsAndFilesArriveAsSent) {
  const std::string pdf = std::string("%PDF-1.4\r\n\0binary\r\n--not-a-boundary\r\n", 38);
  const std::string body = field_part("title", "Ulotka o pomocy społecznej") +
                           field_part("year", "2021") + file_part("file", "ulotka.pdf", pdf) +
                           closing();
  auto form = parse(body);
  ASSERT_TRUE(form) << error_code();
  EXPECT_EQ(form->fields.at("title"), "Ulotka o pomocy społecznej");
  EXPECT_EQ(form->field("year"), "2021");
  EXPECT_EQ(form->field("absent", "none"), "none");
  ASSERT_EQ(form->files.size(), 1u);
  const auto* file = form->file("file");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->filename, "ulotka.pdf");
  EXPECT_EQ(file->content_type, "application/pdf");
  EXPECT_EQ(file->size, pdf.size());
  EXPECT_EQ(file->path.parent_path(), folder_.path());
  EXPECT_EQ(read_file(file->path), pdf);
}

TEST_F(MultipartTest, EveryChunkSplitGivesTheSameForm) {
  const std::string body = "preamble to ignore\r\n" + field_part("a", "1") +
                           file_part("file", "x.bin", "ab\r\n-\r\n--" + kBoundary.substr(0, 10)) +
                           field_part("b", "") + closing() + "epilogue";
  for (std::size_t step = 1; step <= body.size(); ++step) {
    auto form = parse(body, step);
    ASSERT_TRUE(form) << "step " << step << ": " << error_code();
    EXPECT_EQ(form->field("a"), "1");
    EXPECT_EQ(form->field("b", "absent"), "");
    ASSERT_EQ(form->files.size(), 1u);
    EXPECT_EQ(read_file(form->files[0].path), "ab\r\n-\r\n--" + kBoundary.substr(0, 10));
  }
  // Two cuts anywhere: the boundary may straddle any pair of chunks.
  for (std::size_t first = 1; first < body.size(); ++first) {
    for (std::size_t second = first; second < body.size(); second += 7) {
      MultipartParser parser(kBoundary, folder_.path());
      ASSERT_TRUE(parser.feed(body.substr(0, first)));
      ASSERT_TRUE(parser.feed(body.substr(first, second - first)));
      ASSERT_TRUE(parser.feed(body.substr(second)));
      ASSERT_TRUE(parser.finish()) << first << ", " << second;
      EXPECT_EQ(parser.take_form()->field("a"), "1");
    }
  }
}

TEST_F(MultipartTest, CrlfEdgeCases) {
  // The body opening with the boundary (no CRLF before it), values made of CRLFs, spaces after a
  // boundary, and a closing boundary without a final CRLF.
  const std::string body = "--" + kBoundary + "  \r\n" +
                           "Content-Disposition: form-data; name=\"crlf\"\r\n\r\n\r\n\r\n" +
                           field_part("empty", "") + "--" + kBoundary + "--";
  for (std::size_t step : {0, 1, 2, 3}) {
    auto form = parse(body, step);
    ASSERT_TRUE(form) << error_code();
    EXPECT_EQ(form->field("crlf"), "\r\n");
    EXPECT_EQ(form->field("empty", "absent"), "");
  }
  // A boundary followed by anything but CRLF or "--" is malformed.
  EXPECT_FALSE(parse("--" + kBoundary + "x\r\n" + closing()));
  EXPECT_EQ(error_code(), "bad_multipart");
  // A lone LF in place of the header section's CRLF: the head never ends, the body is truncated.
  EXPECT_FALSE(
      parse("--" + kBoundary + "\nContent-Disposition: form-data; name=\"a\"\n\nv\n" + closing()));
  EXPECT_EQ(error_status(), 400);
}

TEST_F(MultipartTest, FileNamesAreDisplayTextNeverPaths) {
  const std::string body = file_part("file", "../../etc/passwd", "secret") + "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename=\"C:\\\\Users\\\\ola\\\\\\\"raport\\\".pdf\"\r\n\r\nx\r\n" +
                           "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename*=UTF-8''%C5%82%C3%B3d%C5%BA.pdf\r\n\r\ny\r\n" +
                           closing();
  auto form = parse(body);
  ASSERT_TRUE(form) << error_code();
  ASSERT_EQ(form->files.size(), 3u);
  EXPECT_EQ(form->files[0].filename, "../../etc/passwd");
  EXPECT_EQ(form->files[1].filename, "C:\\Users\\ola\\\"raport\".pdf");
  EXPECT_EQ(form->files[2].filename, "łódź.pdf");
  for (const auto& file : form->files) {
    EXPECT_EQ(file.path.parent_path(), folder_.path()) << file.path;
    EXPECT_EQ(file.path.filename().string().rfind("upload-", 0), 0u) << file.path;
  }
  EXPECT_FALSE(fs::exists(folder_.path() / "../../etc/passwd.part"));
  EXPECT_EQ(read_file(form->files[0].path), "secret");
  EXPECT_EQ(files_in(folder_.path()), 3u);
}

TEST_F(MultipartTest, RepeatedFieldsAndAnEmptyFileInput) {
  const std::string body = field_part("campaigns", "Rodzina") +
                           field_part("campaigns", "Aktywna integracja") +
                           file_part("file", "", "", "application/octet-stream") + closing();
  auto form = parse(body);
  ASSERT_TRUE(form) << error_code();
  EXPECT_EQ(form->field("campaigns"), "Rodzina");
  ASSERT_EQ(form->field_list.size(), 2u);
  EXPECT_EQ(form->field_list[1].second, "Aktywna integracja");
  EXPECT_TRUE(form->files.empty());  // a browser's file input left empty
  EXPECT_EQ(files_in(folder_.path()), 0u);
}

TEST_F(MultipartTest, TheFormRemovesTheFilesNoHandlerTook) {
  const fs::path kept = folder_.path() / "kept.pdf";
  {
    auto form =
        parse(file_part("file", "a.pdf", "A") + file_part("other", "b.pdf", "B") + closing());
    ASSERT_TRUE(form) << error_code();
    form->take(*form->file("file"), kept);
    EXPECT_TRUE(form->file("file")->path.empty());
    EXPECT_EQ(files_in(folder_.path()), 2u);
    parser_.reset();
  }
  EXPECT_EQ(files_in(folder_.path()), 1u);
  EXPECT_EQ(read_file(kept), "A");
}

TEST_F(MultipartTest, ErrorsSayWhatIsWrong) {
  MultipartLimits small;
  small.field_bytes = 16;
  small.parts = 3;
  EXPECT_FALSE(parse(field_part("title", std::string(17, 'x')) + closing(), 5, small));
  EXPECT_EQ(error_code(), "field_too_long");
  EXPECT_EQ(error_status(), 413);
  EXPECT_NE(parser_->error()->message.find("'title'"), std::string::npos);

  EXPECT_FALSE(parse(field_part("a", "1") + field_part("b", "2") + field_part("c", "3") +
                         field_part("d", "4") + closing(),
                     0, small));
  EXPECT_EQ(error_code(), "too_many_parts");

  EXPECT_FALSE(parse(field_part("a", "1") + "--" + kBoundary.substr(0, 5)));
  EXPECT_EQ(error_code(), "bad_multipart");
  EXPECT_NE(parser_->error()->message.find("ends before"), std::string::npos);

  EXPECT_FALSE(parse("no boundary anywhere"));
  EXPECT_NE(parser_->error()->message.find("ends before"), std::string::npos);

  EXPECT_FALSE(parse("--" + kBoundary + "\r\nContent-Type: text/plain\r\n\r\nv\r\n" + closing()));
  EXPECT_NE(parser_->error()->message.find("no Content-Disposition"), std::string::npos);

  EXPECT_FALSE(parse("--" + kBoundary + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n" +
                     "v\r\n" + closing()));
  EXPECT_NE(parser_->error()->message.find("not Content-Disposition: form-data"),
            std::string::npos);

  EXPECT_FALSE(
      parse("--" + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nv\r\n" + closing()));
  EXPECT_NE(parser_->error()->message.find("no field name"), std::string::npos);

  EXPECT_FALSE(parse("--" + kBoundary + "\r\nbroken header line\r\n\r\nv\r\n" + closing()));
  EXPECT_NE(parser_->error()->message.find("NAME: VALUE"), std::string::npos);

  EXPECT_FALSE(parse("--" + kBoundary +
                     "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n" + closing()));
  EXPECT_NE(parser_->error()->message.find("cannot be read"), std::string::npos);

  MultipartLimits short_heads;
  short_heads.part_head_bytes = 64;
  EXPECT_FALSE(
      parse("--" + kBoundary + "\r\nX-Long: " + std::string(100, 'h') + "\r\n", 1, short_heads));
  EXPECT_NE(parser_->error()->message.find("headers of part 1"), std::string::npos);
}

TEST_F(MultipartTest, AFailedOrAbandonedUploadLeavesNothing) {
  // Malformed after a file was half written.
  const std::string big(600 * 1024, 'z');  // more than one write of the parser
  EXPECT_FALSE(parse(file_part("file", "a.bin", big) + "--" + kBoundary + "\r\nbad\r\n\r\n"));
  EXPECT_EQ(files_in(folder_.path()), 0u);
  // Truncated in the middle of a file.
  EXPECT_FALSE(parse(file_part("file", "a.bin", big).substr(0, 400 * 1024)));
  EXPECT_EQ(files_in(folder_.path()), 0u);
  // Dropped mid-body (the client went away): the parser's destructor.
  {
    MultipartParser parser(kBoundary, folder_.path());
    ASSERT_TRUE(parser.feed(file_part("file", "a.bin", big).substr(0, 300 * 1024)));
    EXPECT_EQ(files_in(folder_.path()), 1u);
  }
  EXPECT_EQ(files_in(folder_.path()), 0u);
  // Fed after an error: refused.
  MultipartParser parser(kBoundary, folder_.path());
  EXPECT_FALSE(parser.feed("--" + kBoundary + "!!"));
  EXPECT_FALSE(parser.feed(closing()));
  EXPECT_FALSE(parser.finish());
  EXPECT_FALSE(parser.take_form());
}

TEST(MultipartBoundary, FromTheContentType) {
  using mediateka::server::multipart_boundary;
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").boundary, "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"; charset=utf-8").boundary,
            "a b:c");
  const BoundaryOrError none = multipart_boundary("multipart/form-data");
  ASSERT_TRUE(none.error);
  EXPECT_EQ(none.error->status, 400);
  EXPECT_NE(none.error->message.find("no boundary"), std::string::npos);
  EXPECT_TRUE(multipart_boundary("multipart/form-data; boundary=").error);
  EXPECT_TRUE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')).error);
  EXPECT_TRUE(multipart_boundary("multipart/form-data; boundary=a<b").error);
  EXPECT_EQ(multipart_boundary("application/json").error->status, 415);
  EXPECT_TRUE(mediateka::server::is_multipart_form_data(" multipart/form-data ; boundary=x"));
  EXPECT_FALSE(mediateka::server::is_multipart_form_data("multipart/mixed; boundary=x"));
}

}  // namespace
