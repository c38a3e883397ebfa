/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The frames, as libnfc 1.8.0 sends and expects them (PN532-NOTES.md):
 *   host: 00 00 FF LEN LCS D4 CMD data DCS 00    (wake-up 55 55 00... first)
 *   chip: ACK 00 00 FF 00 FF 00, then 00 00 FF LEN LCS D5 CMD+1 data DCS 00
 * An ACK from the host aborts the command in progress (nfc_abort_command).
 * Never a status byte with bit 7 set: libnfc calls abort() on it.
 */
#define G_LOG_DOMAIN "co-pn532-sim"
/* posix_openpt(), ptsname_r() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "co-pn532-sim.h"

#define UID_MAX_LEN   10
#define MEMORY_SIZE   4096
/* While an InAutoPoll waits for a card, look again this often (ms). */
#define AUTOPOLL_TICK 10

/* PN532 commands */
enum {
  CMD_DIAGNOSE = 0x00,
  CMD_GET_FIRMWARE_VERSION = 0x02,
  CMD_GET_GENERAL_STATUS = 0x04,
  CMD_READ_REGISTER = 0x06,
  CMD_WRITE_REGISTER = 0x08,
  CMD_READ_GPIO = 0x0c,
  CMD_WRITE_GPIO = 0x0e,
  CMD_SET_PARAMETERS = 0x12,
  CMD_SAM_CONFIGURATION = 0x14,
  CMD_POWER_DOWN = 0x16,
  CMD_RF_CONFIGURATION = 0x32,
  CMD_IN_DATA_EXCHANGE = 0x40,
  CMD_IN_COMMUNICATE_THRU = 0x42,
  CMD_IN_DESELECT = 0x44,
  CMD_IN_LIST_PASSIVE_TARGET = 0x4a,
  CMD_IN_RELEASE = 0x52,
  CMD_IN_SELECT = 0x54,
  CMD_IN_AUTO_POLL = 0x60,
};

/* Status bytes */
#define STATUS_OK       0x00
#define STATUS_TIMEOUT  0x01 /* the card did not answer */
#define STATUS_AUTH     0x14 /* MIFARE authentication error */
#define STATUS_CMD      0x27 /* command not acceptable in this context */

typedef enum
{
  PENDING_NONE,
  PENDING_REPLY,     /* send reply at due */
  PENDING_AUTOPOLL,  /* InAutoPoll waiting for a card until due */
} PendingKind;

struct _CoPn532Sim
{
  GMutex          mutex;

  char           *tmp_dir;     /* ours to remove, when no link path was given */
  char           *link_path;
  char           *connstring;

  /* The plugged session; the thread owns the fds while it runs */
  GThread        *thread;
  int             master_fd;
  int             slave_fd;
  int             wake_fds[2];
  gboolean        quit;
  gboolean        plugged;

  /* Under mutex */
  gboolean        card_present;
  CoPn532SimCard  card;
  guint8          uid[UID_MAX_LEN];
  gsize           uid_len;
  int             answers_left; /* -1: all */
  gboolean        authenticated;
  guint8          memory[MEMORY_SIZE];
  guint           delay_ms;
  gboolean        mute;
  guint8          registers[0x10000];

  /* Atomic */
  int             frame_count;
  int             card_commands;
};

typedef struct
{
  PendingKind  kind;
  gint64       due;
  GByteArray  *reply;
  /* InAutoPoll: the target types asked for */
  guint8       poll_type;
} Pending;

/* Helpers */

static guint8
bcc (const guint8 *bytes,
     gsize         len)
{
  guint8 value = 0;

  for (gsize i = 0; i < len; i++)
    value ^= bytes[i];
  return value;
}

static guint16
card_atqa (CoPn532Sim *sim)
{
  guint16 base;

  switch (sim->card)
    {
    case CO_PN532_SIM_CLASSIC_4K:
      base = 0x0002;
      break;

    case CO_PN532_SIM_CPU:
    case CO_PN532_SIM_OTHER:
      base = 0x0004;
      break;

    case CO_PN532_SIM_CLASSIC_1K:
    case CO_PN532_SIM_MINI:
    case CO_PN532_SIM_ULTRALIGHT:
    default:
      base = 0x0004;
      break;
    }

  /* Bits 7-6 give the UID size: 00 single, 01 double, 10 triple. */
  if (sim->uid_len == 7)
    base = (base & ~0x00c0) | 0x0040;
  else if (sim->uid_len == 10)
    base = (base & ~0x00c0) | 0x0080;
  return base;
}

static guint8
card_sak (CoPn532Sim *sim)
{
  switch (sim->card)
    {
    case CO_PN532_SIM_CLASSIC_1K:
      return 0x08;

    case CO_PN532_SIM_CLASSIC_4K:
      return 0x18;

    case CO_PN532_SIM_MINI:
      return 0x09;

    case CO_PN532_SIM_CPU:
      return 0x20;

    case CO_PN532_SIM_ULTRALIGHT:
    case CO_PN532_SIM_OTHER:
    default:
      return 0x00;
    }
}

static gsize
card_memory_size (CoPn532Sim *sim)
{
  switch (sim->card)
    {
    case CO_PN532_SIM_CLASSIC_1K:
      return 1024;

    case CO_PN532_SIM_CLASSIC_4K:
      return 4096;

    case CO_PN532_SIM_MINI:
      return 320;

    case CO_PN532_SIM_ULTRALIGHT:
      return 64;

    case CO_PN532_SIM_CPU:
    case CO_PN532_SIM_OTHER:
    default:
      return 0;
    }
}

/* What the factory writes: an Ultralight's UID pages, a Classic's block 0
 * and sector trailers with transport keys. */
static void
format_card (CoPn532Sim *sim)
{
  guint8 *m = sim->memory;

  memset (m, 0, sizeof sim->memory);

  if (sim->card == CO_PN532_SIM_ULTRALIGHT)
    {
      guint8 head[3] = { 0x88, sim->uid[0], sim->uid[1] };

      m[0] = sim->uid[0];
      m[1] = sim->uid[1];
      m[2] = sim->uid[2];
      m[3] = bcc (head, 3) ^ sim->uid[2];
      memcpy (m + 4, sim->uid + 3, MIN (sim->uid_len - 3, 4));
      m[8] = bcc (sim->uid + 3, 4);
      m[9] = 0x48;
      return;
    }

  if (sim->card == CO_PN532_SIM_CPU || sim->card == CO_PN532_SIM_OTHER)
    return;

  memcpy (m, sim->uid, sim->uid_len);
  if (sim->uid_len == 4)
    {
      m[4] = bcc (sim->uid, 4);
      m[5] = card_sak (sim);
      m[6] = card_atqa (sim) & 0xff;
      m[7] = card_atqa (sim) >> 8;
    }
  else
    {
      m[sim->uid_len] = card_sak (sim);
      m[sim->uid_len + 1] = card_atqa (sim) & 0xff;
      m[sim->uid_len + 2] = card_atqa (sim) >> 8;
    }

  /* Trailers: key A FF.., access bits FF 07 80 69, key B FF.. */
  for (gsize block = 0; block * 16 < card_memory_size (sim); block++)
    {
      gboolean trailer = block < 128 ? (block % 4) == 3 : (block % 16) == 15;

      if (trailer)
        {
          static const guint8 t[16] = {
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07,
            0x80, 0x69, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          };
          memcpy (m + block * 16, t, 16);
        }
    }
}

/* Under mutex: whether the card answers one more command, and count it. */
static gboolean
card_answers (CoPn532Sim *sim)
{
  if (!sim->card_present)
    return FALSE;
  if (sim->answers_left == 0)
    {
      sim->card_present = FALSE;
      return FALSE;
    }
  if (sim->answers_left > 0)
    sim->answers_left--;
  return TRUE;
}

static void
append_target (CoPn532Sim *sim,
               GByteArray *out)
{
  guint16 atqa = card_atqa (sim);
  guint8 head[5] = { 0x01, atqa >> 8, atqa & 0xff, card_sak (sim), sim->uid_len };

  g_byte_array_append (out, head, sizeof head);
  g_byte_array_append (out, sim->uid, sim->uid_len);
}

static void
card_exchange (CoPn532Sim   *sim,
               const guint8 *data,
               gsize         len,
               GByteArray   *out)
{
  guint8 status = STATUS_OK;
  gsize size = card_memory_size (sim);

  if (len == 0)
    {
      g_byte_array_append (out, &status, 1);
      return;
    }

  if (sim->card == CO_PN532_SIM_CPU || sim->card == CO_PN532_SIM_OTHER)
    {
      static const guint8 ok[] = { STATUS_OK, 0x90, 0x00 };

      g_byte_array_append (out, ok, sizeof ok);
      return;
    }

  if (sim->card == CO_PN532_SIM_ULTRALIGHT)
    {
      if (data[0] == 0x30 && len >= 2)
        {
          g_byte_array_append (out, &status, 1);
          for (guint i = 0; i < 16; i++)
            g_byte_array_append (out, &sim->memory[(data[1] * 4 + i) % size], 1);
          return;
        }
      if (data[0] == 0xa2 && len >= 6 && data[1] >= 4 && data[1] < size / 4)
        {
          memcpy (sim->memory + data[1] * 4, data + 2, 4);
          g_byte_array_append (out, &status, 1);
          return;
        }
      status = STATUS_CMD;
      g_byte_array_append (out, &status, 1);
      return;
    }

  /* MIFARE Classic: any key opens; reading needs an authentication first. */
  if ((data[0] == 0x60 || data[0] == 0x61) && len >= 12)
    {
      sim->authenticated = data[1] * 16u < size;
      status = sim->authenticated ? STATUS_OK : STATUS_AUTH;
      g_byte_array_append (out, &status, 1);
      return;
    }
  if (data[0] == 0x30 && len >= 2 && data[1] * 16u < size)
    {
      if (!sim->authenticated)
        {
          status = STATUS_AUTH;
          g_byte_array_append (out, &status, 1);
          return;
        }
      g_byte_array_append (out, &status, 1);
      g_byte_array_append (out, sim->memory + data[1] * 16, 16);
      return;
    }
  if (data[0] == 0xa0 && len >= 18 && data[1] > 0 && data[1] * 16u < size)
    {
      if (!sim->authenticated)
        status = STATUS_AUTH;
      else
        memcpy (sim->memory + data[1] * 16, data + 2, 16);
      g_byte_array_append (out, &status, 1);
      return;
    }
  status = STATUS_CMD;
  g_byte_array_append (out, &status, 1);
}

/* Under mutex. Fills @out with the reply's data (after CMD+1). Returns FALSE
 * for a command the simulator does not know (then an error frame goes
 * out). A reply that must wait for a card is delayed with @delay_ms;
 * @autopoll is set when an InAutoPoll waits for a card. */
static gboolean
handle_command (CoPn532Sim   *sim,
                guint8        cmd,
                const guint8 *p,
                gsize         len,
                GByteArray   *out,
                guint        *delay_ms,
                gint64       *autopoll_until)
{
  static const guint8 zero = 0x00;
  static const guint8 timeout = STATUS_TIMEOUT;

  switch (cmd)
    {
    case CMD_DIAGNOSE:
      if (len >= 1 && p[0] == 0x06)
        {
          g_atomic_int_inc (&sim->card_commands);
          if (card_answers (sim))
            g_byte_array_append (out, &zero, 1);
          else
            {
              g_byte_array_append (out, &timeout, 1);
              *delay_ms = sim->delay_ms;
            }
        }
      else
        g_byte_array_append (out, p, len);
      return TRUE;

    case CMD_GET_FIRMWARE_VERSION:
      {
        static const guint8 version[] = { 0x32, 0x01, 0x06, 0x07 };

        g_byte_array_append (out, version, sizeof version);
        return TRUE;
      }

    case CMD_GET_GENERAL_STATUS:
      {
        static const guint8 status[] = { 0x00, 0x00, 0x00, 0x00 };

        g_byte_array_append (out, status, sizeof status);
        return TRUE;
      }

    case CMD_READ_REGISTER:
      for (gsize i = 0; i + 1 < len; i += 2)
        g_byte_array_append (out, &sim->registers[(p[i] << 8) | p[i + 1]], 1);
      return TRUE;

    case CMD_WRITE_REGISTER:
      for (gsize i = 0; i + 2 < len; i += 3)
        sim->registers[(p[i] << 8) | p[i + 1]] = p[i + 2];
      return TRUE;

    case CMD_READ_GPIO:
      {
        static const guint8 gpio[] = { 0xff, 0xff, 0xff };

        g_byte_array_append (out, gpio, sizeof gpio);
        return TRUE;
      }

    case CMD_WRITE_GPIO:
    case CMD_SET_PARAMETERS:
    case CMD_SAM_CONFIGURATION:
    case CMD_RF_CONFIGURATION:
      return TRUE;

    case CMD_POWER_DOWN:
    case CMD_IN_DESELECT:
    case CMD_IN_RELEASE:
    case CMD_IN_SELECT:
      g_byte_array_append (out, &zero, 1);
      return TRUE;

    case CMD_IN_LIST_PASSIVE_TARGET:
      {
        gboolean wanted = TRUE;

        g_atomic_int_inc (&sim->card_commands);
        if (len < 2 || p[1] != 0x00)
          {
            /* Only ISO 14443-A at 106 kbps is simulated. */
            g_byte_array_append (out, &zero, 1);
            return TRUE;
          }
        if (len > 2 && sim->card_present)
          {
            /* Select by UID: 4 bytes, or cascade tag 88 + 7 bytes. */
            const guint8 *want = p + 2;
            gsize want_len = len - 2;

            if (want_len == 8 && want[0] == 0x88)
              want++, want_len--;
            wanted = want_len == sim->uid_len && memcmp (want, sim->uid, want_len) == 0;
          }
        if (wanted && card_answers (sim))
          {
            static const guint8 one = 0x01;

            sim->authenticated = FALSE;
            g_byte_array_append (out, &one, 1);
            append_target (sim, out);
          }
        else
          g_byte_array_append (out, &zero, 1);
        return TRUE;
      }

    case CMD_IN_DATA_EXCHANGE:
      g_atomic_int_inc (&sim->card_commands);
      if (len >= 1 && card_answers (sim))
        card_exchange (sim, p + 1, len - 1, out);
      else
        {
          g_byte_array_append (out, &timeout, 1);
          *delay_ms = sim->delay_ms;
        }
      return TRUE;

    case CMD_IN_COMMUNICATE_THRU:
      g_atomic_int_inc (&sim->card_commands);
      if (card_answers (sim))
        {
          static const guint8 ack[] = { STATUS_OK, 0xa2 };

          g_byte_array_append (out, ack, sizeof ack);
        }
      else
        {
          g_byte_array_append (out, &timeout, 1);
          *delay_ms = sim->delay_ms;
        }
      return TRUE;

    case CMD_IN_AUTO_POLL:
      {
        guint poll_nr = len >= 1 ? p[0] : 1;
        guint period = len >= 2 ? p[1] : 1;
        guint types = len > 2 ? len - 2 : 1;

        g_atomic_int_inc (&sim->card_commands);
        if (card_answers (sim))
          {
            static const guint8 head[] = { 0x01, 0x10 };
            guint8 target_len = 5 + sim->uid_len;

            g_byte_array_append (out, head, sizeof head);
            g_byte_array_append (out, &target_len, 1);
            append_target (sim, out);
          }
        else if (poll_nr == 0xff)
          *autopoll_until = G_MAXINT64;
        else
          *autopoll_until = g_get_monotonic_time () +
                            (gint64) poll_nr * types * period * 150 * G_TIME_SPAN_MILLISECOND;
        return TRUE;
      }

    default:
      return FALSE;
    }
}

static GByteArray *
build_frame (guint8        code,
             const guint8 *data,
             gsize         len)
{
  GByteArray *frame = g_byte_array_new ();
  guint8 head[] = { 0x00, 0x00, 0xff, len + 2, 0x100 - ((len + 2) & 0xff), 0xd5, code };
  guint8 dcs = 0xd5 + code;
  guint8 tail[2];

  g_assert (len + 2 < 0xff);

  for (gsize i = 0; i < len; i++)
    dcs += data[i];
  tail[0] = 0x100 - dcs;
  tail[1] = 0x00;
  g_byte_array_append (frame, head, sizeof head);
  g_byte_array_append (frame, data, len);
  g_byte_array_append (frame, tail, sizeof tail);
  return frame;
}

static void
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd = { .fd = fd, .events = POLLOUT };

          if (poll (&pfd, 1, 100) <= 0)
            return;
          continue;
        }
      if (n <= 0)
        return;
      data += n;
      len -= n;
    }
}

static void
pending_clear (Pending *pending)
{
  g_clear_pointer (&pending->reply, g_byte_array_unref);
  pending->kind = PENDING_NONE;
}

/* One host frame (TFI D4 already checked): answer it. */
static void
answer_frame (CoPn532Sim   *sim,
              const guint8 *data,
              gsize         len,
              Pending      *pending)
{
  static const guint8 ack[] = { 0x00, 0x00, 0xff, 0x00, 0xff, 0x00 };
  static const guint8 error_frame[] = { 0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 cmd = data[1];
  guint delay_ms = 0;
  gint64 autopoll_until = 0;
  gboolean known;

  g_mutex_lock (&sim->mutex);
  if (sim->mute)
    {
      g_mutex_unlock (&sim->mutex);
      return;
    }
  known = handle_command (sim, cmd, data + 2, len - 2, out, &delay_ms, &autopoll_until);
  g_mutex_unlock (&sim->mutex);

  g_atomic_int_inc (&sim->frame_count);
  pending_clear (pending);
  write_all (sim->master_fd, ack, sizeof ack);

  if (!known)
    {
      write_all (sim->master_fd, error_frame, sizeof error_frame);
      return;
    }
  if (autopoll_until != 0)
    {
      pending->kind = PENDING_AUTOPOLL;
      pending->due = autopoll_until;
      return;
    }

  pending->reply = build_frame (cmd + 1, out->data, out->len);
  if (delay_ms == 0)
    {
      write_all (sim->master_fd, pending->reply->data, pending->reply->len);
      pending_clear (pending);
      return;
    }
  pending->kind = PENDING_REPLY;
  pending->due = g_get_monotonic_time () + delay_ms * G_TIME_SPAN_MILLISECOND;
}

/* Takes whole frames off the front of @in. */
static void
parse_input (CoPn532Sim *sim,
             GByteArray *in,
             Pending    *pending)
{
  for (;;)
    {
      gsize i = 0;
      gsize start, data_len, end;
      guint8 sum = 0;

      /* Skip the wake-up bytes, preambles and postambles up to "00 FF". */
      while (i + 1 < in->len && !(in->data[i] == 0x00 && in->data[i + 1] == 0xff))
        i++;
      if (i > 0)
        g_byte_array_remove_range (in, 0, MIN (i, in->len));
      if (in->len < 4)
        return;

      /* ACK from the host: abort the command in progress. */
      if (in->data[2] == 0x00 && in->data[3] == 0xff)
        {
          pending_clear (pending);
          g_byte_array_remove_range (in, 0, 4);
          continue;
        }
      /* NACK: ignored. */
      if (in->data[2] == 0xff && in->data[3] == 0x00)
        {
          g_byte_array_remove_range (in, 0, 4);
          continue;
        }

      if (in->data[2] == 0xff && in->data[3] == 0xff)
        {
          /* Extended frame: 00 FF FF FF LENM LENL LCS */
          if (in->len < 7)
            return;
          if (((in->data[4] + in->data[5] + in->data[6]) & 0xff) != 0)
            {
              g_byte_array_remove_range (in, 0, 2);
              continue;
            }
          data_len = (in->data[4] << 8) | in->data[5];
          start = 7;
        }
      else
        {
          if (((in->data[2] + in->data[3]) & 0xff) != 0)
            {
              g_byte_array_remove_range (in, 0, 2);
              continue;
            }
          data_len = in->data[2];
          start = 4;
        }

      end = start + data_len + 1;
      if (in->len < end)
        return;

      for (gsize k = start; k < end; k++)
        sum += in->data[k];
      if (sum == 0 && data_len >= 2 && in->data[start] == 0xd4)
        answer_frame (sim, in->data + start, data_len, pending);
      else
        g_debug ("Dropped a malformed frame");

      g_byte_array_remove_range (in, 0, end);
    }
}

static gpointer
sim_thread (gpointer data)
{
  CoPn532Sim *sim = data;
  g_autoptr(GByteArray) in = g_byte_array_new ();
  Pending pending = { PENDING_NONE, 0, NULL, 0 };

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = sim->master_fd, .events = POLLIN },
        { .fd = sim->wake_fds[0], .events = POLLIN },
      };
      int timeout = -1;
      gint64 now = g_get_monotonic_time ();

      if (pending.kind == PENDING_REPLY)
        timeout = MAX (0, (pending.due - now + 999) / 1000);
      else if (pending.kind == PENDING_AUTOPOLL)
        timeout = AUTOPOLL_TICK;

      if (poll (fds, G_N_ELEMENTS (fds), timeout) < 0 && errno != EINTR)
        break;

      if (fds[1].revents & POLLIN)
        {
          guint8 buf[64];

          while (read (sim->wake_fds[0], buf, sizeof buf) > 0)
            ;
          if (g_atomic_int_get (&sim->quit))
            break;
        }

      if (fds[0].revents & POLLIN)
        {
          guint8 buf[512];
          ssize_t n = read (sim->master_fd, buf, sizeof buf);

          if (n > 0)
            {
              g_byte_array_append (in, buf, n);
              parse_input (sim, in, &pending);
            }
        }

      now = g_get_monotonic_time ();
      if (pending.kind == PENDING_REPLY && now >= pending.due)
        {
          write_all (sim->master_fd, pending.reply->data, pending.reply->len);
          pending_clear (&pending);
        }
      else if (pending.kind == PENDING_AUTOPOLL)
        {
          g_autoptr(GByteArray) out = g_byte_array_new ();
          gboolean found;

          g_mutex_lock (&sim->mutex);
          found = !sim->mute && card_answers (sim);
          if (found)
            {
              static const guint8 head[] = { 0x01, 0x10 };
              guint8 target_len = 5 + sim->uid_len;

              g_byte_array_append (out, head, sizeof head);
              g_byte_array_append (out, &target_len, 1);
              append_target (sim, out);
            }
          g_mutex_unlock (&sim->mutex);

          if (found || now >= pending.due)
            {
              g_autoptr(GByteArray) frame = NULL;
              static const guint8 none = 0x00;

              if (!found)
                g_byte_array_append (out, &none, 1);
              frame = build_frame (CMD_IN_AUTO_POLL + 1, out->data, out->len);
              write_all (sim->master_fd, frame->data, frame->len);
              pending_clear (&pending);
            }
        }
    }

  pending_clear (&pending);
  return NULL;
}

static void
wake (CoPn532Sim *sim)
{
  static const guint8 byte = 1;

  if (sim->wake_fds[1] >= 0)
    (void) !write (sim->wake_fds[1], &byte, 1);
}

static gboolean
plug (CoPn532Sim  *sim,
      GError     **error)
{
  g_autofree char *tmp_link = NULL;
  struct termios tio;
  char name[128];
  int master = -1, slave = -1;

  g_assert (!sim->plugged);

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0 ||
      ptsname_r (master, name, sizeof name) != 0)
    goto fail;

  /* Our own slave fd keeps the pty up while libnfc closes and reopens it. */
  slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0 || tcgetattr (slave, &tio) != 0)
    goto fail;
  cfmakeraw (&tio);
  if (tcsetattr (slave, TCSANOW, &tio) != 0)
    goto fail;
  if (fcntl (master, F_SETFL, fcntl (master, F_GETFL) | O_NONBLOCK) != 0)
    goto fail;

  /* Replace the link in one step. */
  tmp_link = g_strdup_printf ("%s.new", sim->link_path);
  g_unlink (tmp_link);
  if (symlink (name, tmp_link) != 0 || g_rename (tmp_link, sim->link_path) != 0)
    goto fail;

  if (!g_unix_open_pipe (sim->wake_fds, FD_CLOEXEC, error))
    {
      g_unlink (sim->link_path);
      close (master);
      close (slave);
      return FALSE;
    }
  g_unix_set_fd_nonblocking (sim->wake_fds[0], TRUE, NULL);

  sim->master_fd = master;
  sim->slave_fd = slave;
  sim->quit = FALSE;
  sim->plugged = TRUE;
  sim->thread = g_thread_new ("co-pn532-sim", sim_thread, sim);
  return TRUE;

fail:
  {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "Cannot set up a pty for the simulator: %s", g_strerror (saved_errno));
    if (tmp_link != NULL)
      g_unlink (tmp_link);
    if (master >= 0)
      close (master);
    if (slave >= 0)
      close (slave);
    return FALSE;
  }
}

/* Public API */

gboolean
co_pn532_sim_card_from_string (const char     *name,
                               CoPn532SimCard *card)
{
  static const struct { const char *name; CoPn532SimCard card; } names[] = {
    { "classic", CO_PN532_SIM_CLASSIC_1K },
    { "classic1k", CO_PN532_SIM_CLASSIC_1K },
    { "mifare_classic_1k", CO_PN532_SIM_CLASSIC_1K },
    { "classic4k", CO_PN532_SIM_CLASSIC_4K },
    { "mifare_classic_4k", CO_PN532_SIM_CLASSIC_4K },
    { "mini", CO_PN532_SIM_MINI },
    { "mifare_mini", CO_PN532_SIM_MINI },
    { "ultralight", CO_PN532_SIM_ULTRALIGHT },
    { "mifare_ultralight", CO_PN532_SIM_ULTRALIGHT },
    { "cpu", CO_PN532_SIM_CPU },
    { "iso14443_4", CO_PN532_SIM_CPU },
    { "other", CO_PN532_SIM_OTHER },
    { "unknown", CO_PN532_SIM_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *card = names[i].card;
        return TRUE;
      }
  return FALSE;
}

/**
 * co_pn532_sim_new:
 * @link_path: (nullable): where the reader's device appears (a symlink to
 *   the pty); %NULL for "reader" in a new private temporary folder
 *
 * Starts a simulated PN532, plugged in, with no card in the field.
 */
CoPn532Sim *
co_pn532_sim_new (const char  *link_path,
                  GError     **error)
{
  g_autoptr(CoPn532Sim) sim = g_new0 (CoPn532Sim, 1);

  g_mutex_init (&sim->mutex);
  sim->master_fd = sim->slave_fd = -1;
  sim->wake_fds[0] = sim->wake_fds[1] = -1;
  sim->answers_left = -1;

  if (link_path == NULL)
    {
      if ((sim->tmp_dir = g_dir_make_tmp ("co-pn532-sim-XXXXXX", error)) == NULL)
        return NULL;
      sim->link_path = g_build_filename (sim->tmp_dir, "reader", NULL);
    }
  else
    sim->link_path = g_strdup (link_path);
  sim->connstring = g_strdup_printf ("pn532_uart:%s", sim->link_path);

  if (!plug (sim, error))
    return NULL;
  return g_steal_pointer (&sim);
}

void
co_pn532_sim_free (CoPn532Sim *sim)
{
  if (sim == NULL)
    return;

  co_pn532_sim_unplug (sim);
  if (sim->tmp_dir != NULL)
    g_rmdir (sim->tmp_dir);
  g_free (sim->tmp_dir);
  g_free (sim->link_path);
  g_free (sim->connstring);
  g_mutex_clear (&sim->mutex);
  g_free (sim);
}

/**
 * co_pn532_sim_get_connstring:
 *
 * Returns: "pn532_uart:<link path>", for nfc_open()
 */
const char *
co_pn532_sim_get_connstring (CoPn532Sim *sim)
{
  return sim->connstring;
}

const char *
co_pn532_sim_get_link_path (CoPn532Sim *sim)
{
  return sim->link_path;
}

/**
 * co_pn532_sim_put_card:
 * @uid_len: 4, 7 or 10 (7 for an Ultralight)
 *
 * Puts a card in the field (replacing any), answering until removed.
 */
void
co_pn532_sim_put_card (CoPn532Sim     *sim,
                       const guint8   *uid,
                       gsize           uid_len,
                       CoPn532SimCard  card)
{
  co_pn532_sim_put_card_briefly (sim, uid, uid_len, card, -1);
}

/**
 * co_pn532_sim_put_card_briefly:
 * @answers: how many commands the card answers before it is gone, -1 for all
 *
 * A card that leaves the field after @answers commands: with 1, it answers
 * the poll that finds it and is gone before it can be read.
 */
void
co_pn532_sim_put_card_briefly (CoPn532Sim     *sim,
                               const guint8   *uid,
                               gsize           uid_len,
                               CoPn532SimCard  card,
                               int             answers)
{
  g_return_if_fail (uid_len == 4 || uid_len == 7 || uid_len == 10);
  g_return_if_fail (card != CO_PN532_SIM_ULTRALIGHT || uid_len == 7);
  g_return_if_fail (card != CO_PN532_SIM_OTHER || uid_len == 4);

  g_mutex_lock (&sim->mutex);
  memcpy (sim->uid, uid, uid_len);
  sim->uid_len = uid_len;
  sim->card = card;
  sim->answers_left = answers < 0 ? -1 : answers;
  sim->authenticated = FALSE;
  format_card (sim);
  sim->card_present = TRUE;
  g_mutex_unlock (&sim->mutex);
  wake (sim);
}

gboolean
co_pn532_sim_put_card_hex (CoPn532Sim      *sim,
                           const char      *uid_hex,
                           CoPn532SimCard   card,
                           int              answers,
                           GError         **error)
{
  guint8 uid[UID_MAX_LEN];
  gsize len = strlen (uid_hex);

  if (len % 2 != 0 || (len != 8 && len != 14 && len != 20))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A UID has 4, 7 or 10 bytes: “%s”", uid_hex);
      return FALSE;
    }
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (uid_hex[2 * i]);
      int lo = g_ascii_xdigit_value (uid_hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Not a hexadecimal UID: “%s”", uid_hex);
          return FALSE;
        }
      uid[i] = (hi << 4) | lo;
    }
  if (card == CO_PN532_SIM_ULTRALIGHT && len != 14)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "An Ultralight has a 7-byte UID: “%s”", uid_hex);
      return FALSE;
    }
  co_pn532_sim_put_card_briefly (sim, uid, len / 2, card, answers);
  return TRUE;
}

void
co_pn532_sim_remove_card (CoPn532Sim *sim)
{
  g_mutex_lock (&sim->mutex);
  sim->card_present = FALSE;
  g_mutex_unlock (&sim->mutex);
}

gboolean
co_pn532_sim_has_card (CoPn532Sim *sim)
{
  gboolean present;

  g_mutex_lock (&sim->mutex);
  present = sim->card_present && sim->answers_left != 0;
  g_mutex_unlock (&sim->mutex);
  return present;
}

/**
 * co_pn532_sim_set_card_answers:
 * @answers: how many more commands the card answers, -1 for all
 *
 * After that many, the card is gone: a card pulled away mid-read.
 */
void
co_pn532_sim_set_card_answers (CoPn532Sim *sim,
                               int         answers)
{
  g_mutex_lock (&sim->mutex);
  sim->answers_left = answers < 0 ? -1 : answers;
  g_mutex_unlock (&sim->mutex);
}

/**
 * co_pn532_sim_unplug:
 *
 * The reader disappears: the link is removed and the pty closed, so libnfc
 * gets errors on the port it has open. The card stays where it was.
 */
void
co_pn532_sim_unplug (CoPn532Sim *sim)
{
  if (!sim->plugged)
    return;

  g_atomic_int_set (&sim->quit, TRUE);
  wake (sim);
  g_thread_join (g_steal_pointer (&sim->thread));

  g_unlink (sim->link_path);
  close (sim->master_fd);
  close (sim->slave_fd);
  close (sim->wake_fds[0]);
  close (sim->wake_fds[1]);
  sim->master_fd = sim->slave_fd = -1;
  sim->wake_fds[0] = sim->wake_fds[1] = -1;
  sim->plugged = FALSE;
}

/**
 * co_pn532_sim_replug:
 *
 * The reader comes back: a new pty behind the same link, same connstring.
 */
gboolean
co_pn532_sim_replug (CoPn532Sim  *sim,
                     GError     **error)
{
  if (sim->plugged)
    return TRUE;

  g_mutex_lock (&sim->mutex);
  memset (sim->registers, 0, sizeof sim->registers);
  g_mutex_unlock (&sim->mutex);
  return plug (sim, error);
}

gboolean
co_pn532_sim_is_plugged (CoPn532Sim *sim)
{
  return sim->plugged;
}

/**
 * co_pn532_sim_set_delay_ms:
 *
 * How long the chip takes to report that no card answered an exchange
 * (CO_PN532_SIM_REAL_DELAY_MS for a real PN532; 0, the default, at once).
 */
void
co_pn532_sim_set_delay_ms (CoPn532Sim *sim,
                           guint       delay_ms)
{
  g_mutex_lock (&sim->mutex);
  sim->delay_ms = delay_ms;
  g_mutex_unlock (&sim->mutex);
}

/**
 * co_pn532_sim_set_mute:
 *
 * A hung chip: frames are read and never answered, not even with an ACK.
 */
void
co_pn532_sim_set_mute (CoPn532Sim *sim,
                       gboolean    mute)
{
  g_mutex_lock (&sim->mutex);
  sim->mute = !!mute;
  g_mutex_unlock (&sim->mutex);
}

/**
 * co_pn532_sim_get_frame_count:
 *
 * Returns: how many host frames were answered so far
 */
guint
co_pn532_sim_get_frame_count (CoPn532Sim *sim)
{
  return g_atomic_int_get (&sim->frame_count);
}

/**
 * co_pn532_sim_get_card_commands:
 *
 * Returns: how many commands that reach for a card (polls, exchanges,
 *   presence checks) were received so far
 */
guint
co_pn532_sim_get_card_commands (CoPn532Sim *sim)
{
  return g_atomic_int_get (&sim->card_commands);
}
