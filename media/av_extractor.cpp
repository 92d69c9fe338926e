#include "av_extractor.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include "ffmpeg_handles.h"
#include "text_repair.h"
#include "text_util.h"

namespace mediateka::media {
namespace {

class Dictionary {
 public:
  Dictionary() = default;
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;
  ~Dictionary() { av_dict_free(&dictionary_); }
  AVDictionary** address() { return &dictionary_; }

 private:
  AVDictionary* dictionary_ = nullptr;
};

class DecodedSubtitle {
 public:
  DecodedSubtitle() = default;
  DecodedSubtitle(const DecodedSubtitle&) = delete;
  DecodedSubtitle& operator=(const DecodedSubtitle&) = delete;
  ~DecodedSubtitle() { avsubtitle_free(&subtitle_); }
  AVSubtitle* get() { return &subtitle_; }

 private:
  AVSubtitle subtitle_{};
};

void silence_ffmpeg() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

std::string av_error_text(int error) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> buffer{};
  av_strerror(error, buffer.data(), buffer.size());
  return buffer.data();
}

// The format libavformat sees in the file's first bytes, ignoring its name; null when none.
const AVInputFormat* probe_content(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<unsigned char> buffer(64 * 1024 + AVPROBE_PADDING_SIZE, 0);
  in.read(reinterpret_cast<char*>(buffer.data()), 64 * 1024);
  AVProbeData probe{};
  probe.filename = "";
  probe.buf = buffer.data();
  probe.buf_size = static_cast<int>(in.gcount());
  int score = 0;
  const AVInputFormat* format = av_probe_input_format3(&probe, 1, &score);
  return score > AVPROBE_SCORE_EXTENSION / 2 ? format : nullptr;
}

bool format_name_is(const AVFormatContext& context, std::string_view name) {
  return std::string_view(context.iformat->name) == name;
}

// Demuxers that accept things we do not archive as recordings.
bool is_rejected_format(std::string_view name) {
  constexpr std::string_view kPipe = "_pipe";
  return name == "image2" || name == "gif" || name == "apng" || name == "tty" || name == "hls" ||
         name == "dash" || name == "concat" ||
         (name.size() > kPipe.size() && name.substr(name.size() - kPipe.size()) == kPipe);
}

std::string lower_extension(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  if (!extension.empty()) extension.erase(0, 1);
  for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

std::string container_name(const AVFormatContext& context, const std::filesystem::path& file) {
  const std::string_view names = context.iformat->name;
  if (names.find(',') == std::string_view::npos) return std::string(names);
  if (names.substr(0, 4) == "mov,") {
    const AVDictionaryEntry* brand = av_dict_get(context.metadata, "major_brand", nullptr, 0);
    const std::string_view major = brand ? brand->value : "";
    if (major.substr(0, 2) == "qt") return "mov";
    if (major.substr(0, 3) == "M4A" || major.substr(0, 3) == "M4B") return "m4a";
    if (major.substr(0, 3) == "3gp") return "3gp";
    if (major.substr(0, 3) == "3g2") return "3g2";
    return "mp4";
  }
  // "matroska,webm" and the like: the file's extension picks the name when it is one of them.
  const std::string extension = lower_extension(file);
  std::size_t start = 0;
  while (start <= names.size()) {
    const std::size_t end = std::min(names.find(',', start), names.size());
    if (names.substr(start, end - start) == extension) return extension;
    start = end + 1;
  }
  return std::string(names.substr(0, names.find(',')));
}

std::string mime_type(const std::string& container, bool has_video, const AVInputFormat& format) {
  struct Mime {
    std::string_view container, video, audio;
  };
  static constexpr Mime kMimes[] = {
      {"mp4", "video/mp4", "audio/mp4"},
      {"m4a", "audio/mp4", "audio/mp4"},
      {"mov", "video/quicktime", "video/quicktime"},
      {"3gp", "video/3gpp", "audio/3gpp"},
      {"3g2", "video/3gpp2", "audio/3gpp2"},
      {"matroska", "video/x-matroska", "audio/x-matroska"},
      {"webm", "video/webm", "audio/webm"},
      {"mp3", "audio/mpeg", "audio/mpeg"},
      {"ogg", "video/ogg", "audio/ogg"},
      {"wav", "audio/wav", "audio/wav"},
      {"flac", "audio/flac", "audio/flac"},
      {"aac", "audio/aac", "audio/aac"},
      {"ac3", "audio/ac3", "audio/ac3"},
      {"aiff", "audio/aiff", "audio/aiff"},
      {"amr", "audio/amr", "audio/amr"},
      {"asf", "video/x-ms-asf", "audio/x-ms-wma"},
      {"avi", "video/x-msvideo", "video/x-msvideo"},
      {"flv", "video/x-flv", "video/x-flv"},
      {"mpeg", "video/mpeg", "audio/mpeg"},
      {"mpegts", "video/mp2t", "video/mp2t"},
  };
  for (const auto& mime : kMimes)
    if (mime.container == container) return std::string(has_video ? mime.video : mime.audio);
  if (format.mime_type && *format.mime_type) {
    const std::string_view listed = format.mime_type;
    return std::string(listed.substr(0, listed.find(',')));
  }
  return "application/octet-stream";
}

// Tags pass through the same repairs as text: old Polish ID3 tags are often Windows-1250 bytes
// that a tagger stored as Latin-1 ("¯ycie" for "Życie").
std::string clean_tag(const char* value) { return repair_text(ensure_utf8(value)).text; }

// The first non-empty tag among `keys` (case-insensitive) in the container's metadata, then
// in the given streams' metadata (OGG keeps Vorbis comments on the stream).
std::string find_tag(const AVFormatContext& context, std::initializer_list<const char*> keys,
                     const std::vector<const AVStream*>& streams) {
  for (const char* key : keys) {
    if (const AVDictionaryEntry* entry = av_dict_get(context.metadata, key, nullptr, 0)) {
      std::string value = clean_tag(entry->value);
      if (!value.empty()) return value;
    }
  }
  for (const AVStream* stream : streams) {
    for (const char* key : keys) {
      if (const AVDictionaryEntry* entry = av_dict_get(stream->metadata, key, nullptr, 0)) {
        std::string value = clean_tag(entry->value);
        if (!value.empty()) return value;
      }
    }
  }
  return {};
}

// ISO 639-2 codes of stream tags as the two-letter codes items use; "und" and the like dropped.
std::string normalise_language(std::string language) {
  for (auto& c : language) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, std::string_view> kCodes[] = {
      {"pol", "pl"}, {"eng", "en"}, {"ger", "de"}, {"deu", "de"}, {"fre", "fr"}, {"fra", "fr"},
      {"rus", "ru"}, {"ukr", "uk"}, {"spa", "es"}, {"ita", "it"}, {"cze", "cs"}, {"ces", "cs"},
      {"slo", "sk"}, {"slk", "sk"}, {"lit", "lt"}, {"bel", "be"}, {"heb", "he"}, {"yid", "yi"}};
  for (const auto& [three, two] : kCodes)
    if (language == three) return std::string(two);
  if (language == "und" || language == "mul" || language == "zxx" || language == "mis") return {};
  return language;
}

std::string video_summary(const AVStream& stream) {
  const AVCodecParameters& parameters = *stream.codecpar;
  std::string summary = avcodec_get_name(parameters.codec_id);
  if (parameters.width > 0 && parameters.height > 0)
    summary += " " + std::to_string(parameters.width) + "x" + std::to_string(parameters.height);
  return summary;
}

std::string audio_summary(const AVStream& stream) {
  const AVCodecParameters& parameters = *stream.codecpar;
  std::string summary = avcodec_get_name(parameters.codec_id);
  if (parameters.sample_rate > 0) summary += " " + std::to_string(parameters.sample_rate) + " Hz";
  if (parameters.ch_layout.nb_channels > 0)
    summary += " " + std::to_string(parameters.ch_layout.nb_channels) + " ch";
  return summary;
}

// The stream of `type` to describe: the one marked default, else the first. Cover art
// (attached pictures) is not video.
const AVStream* main_stream(const AVFormatContext& context, AVMediaType type) {
  const AVStream* found = nullptr;
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    const AVStream* stream = context.streams[i];
    if (stream->codecpar->codec_type != type || stream->codecpar->codec_id == AV_CODEC_ID_NONE)
      continue;
    if (type == AVMEDIA_TYPE_VIDEO && (stream->disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
    if (stream->disposition & AV_DISPOSITION_DEFAULT) return stream;
    if (!found) found = stream;
  }
  return found;
}

bool is_text_subtitle(const AVStream& stream) {
  if (stream.codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE) return false;
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get(stream.codecpar->codec_id);
  return descriptor && (descriptor->props & AV_CODEC_PROP_TEXT_SUB);
}

// One text subtitle stream is read (several would repeat the same lines in other languages):
// Polish first, then the default one, then the first.
AVStream* subtitle_stream(const AVFormatContext& context, std::vector<std::string>& warnings) {
  AVStream* chosen = nullptr;
  int chosen_rank = -1;
  bool bitmap_only = false;
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    AVStream* stream = context.streams[i];
    if (stream->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE) continue;
    if (!is_text_subtitle(*stream)) {
      bitmap_only = true;
      continue;
    }
    const AVDictionaryEntry* language = av_dict_get(stream->metadata, "language", nullptr, 0);
    const int rank = (language && normalise_language(language->value) == "pl") ? 2
                     : (stream->disposition & AV_DISPOSITION_DEFAULT)          ? 1
                                                                               : 0;
    if (rank > chosen_rank) {
      chosen = stream;
      chosen_rank = rank;
    }
  }
  if (!chosen && bitmap_only)
    warnings.push_back("subtitles are images (not text) and were not read");
  return chosen;
}

std::string subtitle_text(const AVSubtitle& subtitle) {
  std::string text;
  for (unsigned i = 0; i < subtitle.num_rects; ++i) {
    const AVSubtitleRect& rect = *subtitle.rects[i];
    std::string_view raw;
    if (rect.ass) {
      raw = ass_event_text(rect.ass);
    } else if (rect.text) {
      raw = rect.text;
    }
    const std::string line = collapse_whitespace(strip_subtitle_markup(ensure_utf8(raw)));
    if (line.empty()) continue;
    if (!text.empty()) text += ' ';
    text += line;
  }
  return text;
}

// Times are given from the start of playback, as a player shows them; MPEG-TS recordings, for
// one, begin at an arbitrary timestamp.
double start_offset(const AVFormatContext& context) {
  if (context.start_time == AV_NOPTS_VALUE || context.start_time <= 0) return 0;
  return static_cast<double>(context.start_time) / AV_TIME_BASE;
}

void read_subtitles(AVFormatContext& context, AVStream& stream, Extraction& extraction) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (!codec) {
    extraction.warnings.push_back(std::string("no decoder for ") +
                                  avcodec_get_name(stream.codecpar->codec_id) + " subtitles");
    return;
  }
  CodecContextPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder || avcodec_parameters_to_context(decoder.get(), stream.codecpar) < 0) {
    extraction.warnings.push_back("cannot set up the subtitle decoder");
    return;
  }
  decoder->pkt_timebase = stream.time_base;
  if (avcodec_open2(decoder.get(), codec, nullptr) < 0) {
    extraction.warnings.push_back("cannot open the subtitle decoder");
    return;
  }
  for (unsigned i = 0; i < context.nb_streams; ++i)
    context.streams[i]->discard =
        static_cast<int>(i) == stream.index ? AVDISCARD_DEFAULT : AVDISCARD_ALL;

  PacketPtr packet(av_packet_alloc());
  if (!packet) throw ExtractionError("out of memory");
  const double time_base = av_q2d(stream.time_base);
  const double offset = start_offset(context);
  int status = 0;
  while ((status = av_read_frame(&context, packet.get())) >= 0) {
    if (packet->stream_index == stream.index) {
      DecodedSubtitle subtitle;
      int got_subtitle = 0;
      const int64_t pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      if (avcodec_decode_subtitle2(decoder.get(), subtitle.get(), &got_subtitle, packet.get()) >=
              0 &&
          got_subtitle && pts != AV_NOPTS_VALUE) {
        std::string text = subtitle_text(*subtitle.get());
        if (!text.empty()) {  // mov_text fills the gaps between cues with empty samples
          const double packet_start = pts * time_base - offset;
          const double start = packet_start + subtitle.get()->start_display_time / 1000.0;
          double end = start;
          if (packet->duration > 0) {
            end = packet_start + packet->duration * time_base;
          } else if (subtitle.get()->end_display_time > 0 &&
                     subtitle.get()->end_display_time != UINT32_MAX) {
            end = packet_start + subtitle.get()->end_display_time / 1000.0;
          }
          extraction.segments.push_back(
              {0, std::max(0.0, start), std::max({0.0, start, end}), std::move(text)});
        }
      }
    }
    av_packet_unref(packet.get());
  }
  if (status != AVERROR_EOF)
    extraction.warnings.push_back("file is damaged or truncated; subtitles read up to there (" +
                                  av_error_text(status) + ")");
  std::stable_sort(extraction.segments.begin(), extraction.segments.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
}

std::vector<Chapter> read_chapters(const AVFormatContext& context) {
  std::vector<Chapter> chapters;
  const double offset = start_offset(context);
  for (unsigned i = 0; i < context.nb_chapters; ++i) {
    const AVChapter& chapter = *context.chapters[i];
    const double unit = av_q2d(chapter.time_base);
    Chapter result;
    const AVDictionaryEntry* title = av_dict_get(chapter.metadata, "title", nullptr, 0);
    if (title) result.title = clean_tag(title->value);
    result.start_s = std::max(0.0, chapter.start * unit - offset);
    result.end_s = chapter.end > chapter.start ? std::max(0.0, chapter.end * unit - offset) : 0;
    chapters.push_back(std::move(result));
  }
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  return chapters;
}

std::optional<double> duration_seconds(const AVFormatContext& context) {
  if (context.duration != AV_NOPTS_VALUE && context.duration > 0)
    return static_cast<double>(context.duration) / AV_TIME_BASE;
  double longest = 0;
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    const AVStream& stream = *context.streams[i];
    if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0)
      longest = std::max(longest, stream.duration * av_q2d(stream.time_base));
  }
  if (longest > 0) return longest;
  return std::nullopt;
}

// A header may claim any duration (an MP3's Xing frame count, an MP4's mvhd); one that leaves
// the file fewer bits a second than any codec needs is a damaged or forged header. The floor is
// far below real recordings: FLAC or AAC of silence, or a still video, take over 1 kbit/s.
void check_duration(const std::optional<double>& duration_s, const std::filesystem::path& file) {
  constexpr double kMinBitsPerSecond = 100;
  std::error_code error;
  const auto bytes = std::filesystem::file_size(file, error);
  if (!duration_s || error || *duration_s * kMinBitsPerSecond <= 8.0 * static_cast<double>(bytes))
    return;
  throw ExtractionError("the header claims " + std::to_string(std::llround(*duration_s / 3600)) +
                        " hours of playing time in " + std::to_string(bytes) +
                        " bytes: a damaged or forged file");
}

FormatContextPtr open_media(const std::filesystem::path& file) {
  Dictionary options;
  // A playlist or reference file must not make us read other files or the network.
  av_dict_set(options.address(), "protocol_whitelist", "file", 0);
  // Nor may a playlist's demuxer even start: a live HLS playlist that lists itself is read
  // again and again inside avformat_open_input, never returning.
  if (const AVInputFormat* format = probe_content(file); format && is_rejected_format(format->name))
    throw ExtractionError(std::string("not an audio or video file (") + format->name + ")");
  AVFormatContext* raw_context = nullptr;
  const std::string url = "file:" + std::filesystem::absolute(file).string();
  const int opened = avformat_open_input(&raw_context, url.c_str(), nullptr, options.address());
  if (opened < 0) {
    if (const AVInputFormat* format = probe_content(file)) {
      const std::string_view names = format->name;
      throw ExtractionError("damaged or truncated " +
                            std::string(names.substr(0, names.find(','))) + " file (" +
                            av_error_text(opened) + ")");
    }
    throw ExtractionError("not a PDF or media file libavformat recognises");
  }
  FormatContextPtr context(raw_context);
  if (is_rejected_format(context->iformat->name))
    throw ExtractionError(std::string("not an audio or video file (") + context->iformat->name +
                          ")");
  const int probed = avformat_find_stream_info(context.get(), nullptr);
  if (probed < 0) throw ExtractionError("damaged media file: " + av_error_text(probed));
  return context;
}

}  // namespace

Extraction extract_av(const std::filesystem::path& file) {
  silence_ffmpeg();
  FormatContextPtr context = open_media(file);
  const AVStream* video = main_stream(*context, AVMEDIA_TYPE_VIDEO);
  const AVStream* audio = main_stream(*context, AVMEDIA_TYPE_AUDIO);
  if (!video && !audio)
    throw ExtractionError(std::string("no audio or video stream (") + context->iformat->name + ")");

  Extraction extraction;
  extraction.kind = video ? MediaKind::video : MediaKind::audio;
  extraction.media.container = container_name(*context, file);
  if (video) extraction.media.video = video_summary(*video);
  if (audio) extraction.media.audio = audio_summary(*audio);
  extraction.mime = mime_type(extraction.media.container, video != nullptr, *context->iformat);
  extraction.duration_s = duration_seconds(*context);
  check_duration(extraction.duration_s, file);

  std::vector<const AVStream*> tagged_streams;
  if (audio) tagged_streams.push_back(audio);
  if (video) tagged_streams.push_back(video);
  // Matroska and MP4 track titles name the track ("Stereo", "Polski lektor"), not the work;
  // only OGG keeps the work's title on a stream.
  extraction.title =
      find_tag(*context, {"title"},
               format_name_is(*context, "ogg") ? tagged_streams : std::vector<const AVStream*>{});
  extraction.author = find_tag(*context, {"author"}, tagged_streams);
  extraction.artist = find_tag(*context, {"artist", "album_artist", "performer"}, tagged_streams);
  extraction.album = find_tag(*context, {"album"}, tagged_streams);
  extraction.genre = find_tag(*context, {"genre"}, tagged_streams);
  extraction.description =
      find_tag(*context, {"description", "comment", "synopsis"}, tagged_streams);
  extraction.language = normalise_language(find_tag(*context, {"language"}, tagged_streams));
  for (const char* key : {"date", "date_released", "date_recorded", "year", "creation_time"}) {
    extraction.date = iso_date(find_tag(*context, {key}, tagged_streams));
    if (!extraction.date.empty()) break;
  }
  extraction.chapters = read_chapters(*context);

  if (AVStream* subtitles = subtitle_stream(*context, extraction.warnings))
    read_subtitles(*context, *subtitles, extraction);
  return extraction;
}

}  // namespace mediateka::media
