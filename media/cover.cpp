#include "cover.h"

#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "ffmpeg_handles.h"
#include "poppler_document.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxHeightFactor = 4;  // a cover is at most 4 widths tall (long scrolls, odd SAR)
constexpr int kMaxPacketsAfterSeek = 2000;  // give up looking for the target frame after this
constexpr int kMaxFruitlessPackets = 100;   // packets without a first frame: undecodable

// ---------------------------------------------------------------------------------------------
// Atomic output: a temporary file in png_out's folder (so rename() stays on one file system),
// removed unless commit() renames it into place.
class TemporaryOutput {
 public:
  explicit TemporaryOutput(const fs::path& target) : target_(target) {
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string pattern = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0)
      throw ExtractionError("cannot write the cover: " + std::system_category().message(errno));
    close(fd);
    path_ = pattern;
  }
  TemporaryOutput(const TemporaryOutput&) = delete;
  TemporaryOutput& operator=(const TemporaryOutput&) = delete;
  ~TemporaryOutput() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  const fs::path& path() const { return path_; }

  void write(const std::uint8_t* data, std::size_t size) {
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path_.c_str(), "wb"), &std::fclose);
    if (!out || std::fwrite(data, 1, size, out.get()) != size || std::fflush(out.get()) != 0)
      throw ExtractionError("cannot write the cover: " + std::system_category().message(errno));
  }

  void commit() {
    // mkstemp made the file 0600; a cover is as public as the thumbnail folder it sits in.
    chmod(path_.c_str(), 0644);
    if (std::rename(path_.c_str(), target_.c_str()) != 0)
      throw ExtractionError("cannot write the cover: " + std::system_category().message(errno));
    path_.clear();
  }

 private:
  fs::path target_;
  fs::path path_;
};

int even_height(double height, int width) {
  const int rounded = static_cast<int>(std::lround(height / 2.0)) * 2;
  return std::clamp(rounded, 2, kMaxHeightFactor * width);
}

PacketPtr make_packet() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw std::bad_alloc();
  return packet;
}

FramePtr make_frame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) throw std::bad_alloc();
  return frame;
}

// Encodes packed RGB24 rows as a PNG and writes it atomically. Deflate level 2: every imported
// file gets a cover, and the usual level 6 took several times as long as rendering the page
// while making the file only ~10 % smaller.
void write_png(const std::uint8_t* rgb, int bytes_per_row, int width, int height,
               const fs::path& png_out) {
  constexpr int kCompressionLevel = 2;
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (!codec) throw ExtractionError("this FFmpeg has no PNG encoder");
  CodecContextPtr encoder(avcodec_alloc_context3(codec));
  if (!encoder) throw std::bad_alloc();
  encoder->width = width;
  encoder->height = height;
  encoder->pix_fmt = AV_PIX_FMT_RGB24;
  encoder->time_base = AVRational{1, 25};
  encoder->compression_level = kCompressionLevel;
  if (avcodec_open2(encoder.get(), codec, nullptr) < 0)
    throw ExtractionError("the PNG encoder cannot be opened");

  // The frame borrows the caller's rows; the encoder copies what it keeps.
  FramePtr frame = make_frame();
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = width;
  frame->height = height;
  frame->data[0] = const_cast<std::uint8_t*>(rgb);
  frame->linesize[0] = bytes_per_row;
  PacketPtr png = make_packet();
  if (avcodec_send_frame(encoder.get(), frame.get()) < 0 ||
      avcodec_receive_packet(encoder.get(), png.get()) < 0)
    throw ExtractionError("the picture cannot be encoded as PNG");

  TemporaryOutput output(png_out);
  output.write(png->data, static_cast<std::size_t>(png->size));
  output.commit();
}

// ---------------------------------------------------------------------------------------------
// PDF

void render_pdf_cover(const fs::path& file, const fs::path& png_out, int width) {
  const std::unique_ptr<poppler::document> document = open_pdf(file);
  std::unique_ptr<poppler::page> page(document->create_page(0));
  if (!page) throw ExtractionError("the first page of the PDF cannot be read");

  const PageRaster rendered =
      render_page_at_width(*page, width, kMaxHeightFactor, "the first page of the PDF");
  const poppler::image& image = rendered.image;
  write_png(reinterpret_cast<const std::uint8_t*>(image.const_data()), image.bytes_per_row(),
            image.width(), image.height(), png_out);
}

// ---------------------------------------------------------------------------------------------
// Video and audio cover art

struct ScalerFreer {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};
using ScalerPtr = std::unique_ptr<SwsContext, ScalerFreer>;

FormatContextPtr open_input(const fs::path& file) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, file.c_str(), nullptr, nullptr) < 0)
    throw ExtractionError("not a readable audio or video file");
  FormatContextPtr format(raw);
  if (avformat_find_stream_info(format.get(), nullptr) < 0)
    throw ExtractionError("damaged audio or video file (no stream information)");
  return format;
}

bool is_attached_picture(const AVStream* stream) {
  return (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
}

// The moving-picture stream (not cover art), or -1.
int find_video_stream(const AVFormatContext* format) {
  int best = -1;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    if (stream->codecpar->codec_type != AVMEDIA_TYPE_VIDEO || is_attached_picture(stream)) continue;
    if (stream->disposition & AV_DISPOSITION_DEFAULT) return static_cast<int>(i);
    if (best < 0) best = static_cast<int>(i);
  }
  return best;
}

int find_attached_picture(const AVFormatContext* format) {
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    if (is_attached_picture(stream) && stream->attached_pic.size > 0) return static_cast<int>(i);
  }
  return -1;
}

CodecContextPtr open_decoder(const AVStream* stream) {
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!codec) throw ExtractionError("no decoder for the picture's codec");
  CodecContextPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder) throw std::bad_alloc();
  if (avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0 ||
      avcodec_open2(decoder.get(), codec, nullptr) < 0)
    throw ExtractionError("the picture's decoder cannot be opened");
  return decoder;
}

// Feeds one packet (nullptr: flush) and keeps the last frame it yields in `frame`.
// Returns whether a frame came out; a packet the decoder rejects yields none.
bool decode_into(AVCodecContext* decoder, const AVPacket* packet, AVFrame* frame) {
  if (avcodec_send_packet(decoder, packet) < 0) return false;
  bool got = false;
  FramePtr candidate = make_frame();
  while (avcodec_receive_frame(decoder, candidate.get()) == 0) {
    av_frame_unref(frame);
    av_frame_move_ref(frame, candidate.get());
    got = true;
  }
  return got;
}

// Cover art is stored whole in the stream header (AV_DISPOSITION_ATTACHED_PIC), not in packets.
FramePtr decode_attached_picture(const AVStream* stream) {
  CodecContextPtr decoder = open_decoder(stream);
  FramePtr frame = make_frame();
  const bool got = decode_into(decoder.get(), &stream->attached_pic, frame.get()) ||
                   decode_into(decoder.get(), nullptr, frame.get());
  if (!got) throw ExtractionError("the embedded picture cannot be decoded");
  return frame;
}

// The first frame at or after `target` (stream time base) of stream `index`, or the last one
// before it when the stream ends first. With target == AV_NOPTS_VALUE, the first frame.
FramePtr decode_frame_near(AVFormatContext* format, int index, std::int64_t target) {
  const AVStream* stream = format->streams[index];
  CodecContextPtr decoder = open_decoder(stream);
  PacketPtr packet = make_packet();
  FramePtr frame = make_frame();
  bool have_frame = false;
  int packets = 0, fruitless = 0;
  while (av_read_frame(format, packet.get()) >= 0) {
    const bool ours = packet->stream_index == index;
    if (ours) {
      const bool got = decode_into(decoder.get(), packet.get(), frame.get());
      have_frame = have_frame || got;
      // A decoder may hold a few packets before its first frame; dozens mean garbage.
      if (!have_frame && ++fruitless > kMaxFruitlessPackets) break;
    }
    av_packet_unref(packet.get());
    if (!ours) continue;
    if (have_frame && (target == AV_NOPTS_VALUE || frame->best_effort_timestamp == AV_NOPTS_VALUE ||
                       frame->best_effort_timestamp >= target))
      return frame;
    if (have_frame && ++packets > kMaxPacketsAfterSeek) return frame;
  }
  // End of stream: the decoder may still hold delayed frames.
  if (decode_into(decoder.get(), nullptr, frame.get())) have_frame = true;
  if (!have_frame) return nullptr;
  return frame;
}

FramePtr representative_frame(const fs::path& file) {
  FormatContextPtr format = open_input(file);
  const int index = find_video_stream(format.get());
  if (index < 0) {
    // A "video" that is really audio with cover art (an MP3 misnamed .mp4): use the art.
    const int picture = find_attached_picture(format.get());
    if (picture < 0) throw ExtractionError("no video stream");
    return decode_attached_picture(format->streams[picture]);
  }
  AVStream* stream = format->streams[index];

  // 10% into the recording skips black leaders and title cards; 5 s keeps long films cheap.
  if (format->duration > 0) {
    const double duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
    const double target_s = std::min(duration_s * 0.1, 5.0);
    std::int64_t target = av_rescale_q(static_cast<std::int64_t>(target_s * AV_TIME_BASE),
                                       AV_TIME_BASE_Q, stream->time_base);
    if (stream->start_time != AV_NOPTS_VALUE) target += stream->start_time;
    if (target_s > 0 && av_seek_frame(format.get(), index, target, AVSEEK_FLAG_BACKWARD) >= 0) {
      if (FramePtr frame = decode_frame_near(format.get(), index, target)) return frame;
    }
    // The seek failed or nothing decodes after it: start again from the beginning.
    format = open_input(file);
  }
  if (FramePtr frame = decode_frame_near(format.get(), index, AV_NOPTS_VALUE)) return frame;
  throw ExtractionError("no video frame can be decoded");
}

FramePtr audio_cover_art(const fs::path& file) {
  FormatContextPtr format = open_input(file);
  const int picture = find_attached_picture(format.get());
  if (picture < 0) throw NoCoverArt();
  return decode_attached_picture(format->streams[picture]);
}

// Scales to `width` (keeping the display aspect ratio, height even) and writes it as a PNG.
void write_scaled_png(const AVFrame& source, const fs::path& png_out, int width) {
  if (source.width <= 0 || source.height <= 0) throw ExtractionError("the picture has no size");
  double display_width = source.width;
  const AVRational sar = source.sample_aspect_ratio;
  if (sar.num > 0 && sar.den > 0) display_width = source.width * av_q2d(sar);
  const int height = even_height(width * source.height / display_width, width);

  ScalerPtr scaler(sws_getContext(source.width, source.height,
                                  static_cast<AVPixelFormat>(source.format), width, height,
                                  AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!scaler) throw ExtractionError("the picture's pixel format cannot be converted");
  FramePtr rgb = make_frame();
  rgb->format = AV_PIX_FMT_RGB24;
  rgb->width = width;
  rgb->height = height;
  if (av_frame_get_buffer(rgb.get(), 0) < 0) throw std::bad_alloc();
  if (sws_scale(scaler.get(), source.data, source.linesize, 0, source.height, rgb->data,
                rgb->linesize) != height)
    throw ExtractionError("the picture cannot be scaled");
  write_png(rgb->data[0], rgb->linesize[0], width, height, png_out);
}

}  // namespace

void render_cover(const fs::path& file, MediaKind kind, const fs::path& png_out, int width) {
  if (width < 16 || width > 4096)
    throw std::invalid_argument("cover width must be 16..4096 pixels");
  if (kind == MediaKind::pdf) {
    render_pdf_cover(file, png_out, width);
    return;
  }
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
  const FramePtr frame =
      kind == MediaKind::audio ? audio_cover_art(file) : representative_frame(file);
  write_scaled_png(*frame, png_out, width);
}

void write_rgb_png(const std::uint8_t* rgb, int bytes_per_row, int width, int height,
                   const fs::path& png_out) {
  write_png(rgb, bytes_per_row, width, height, png_out);
}

}  // namespace mediateka::media
