/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * pn532-sim: the PN532 simulator as a program, for scripts, benchmarks and
 * GUI tests. It prints "ready <connstring>" once the reader is plugged in,
 * then reads one command a line on stdin and answers "ok" or "error: ...":
 *
 *   card <UID hex> [classic|classic4k|mini|ultralight|cpu] [N]
 *                      put a card in the field (default: classic for a
 *                      4-byte UID, ultralight for a 7-byte one); with N, it
 *                      leaves after answering N commands (1: pulled away
 *                      before it could be read)
 *   remove             take it away
 *   answers <N>        the card now in the field leaves after N more answers
 *   delay <ms>         no-answer delay (52 is a real PN532's)
 *   mute on|off        the chip stops answering
 *   unplug | replug    the reader disappears / comes back on the same link
 *   quit               (or end of input, SIGINT, SIGTERM)
 */
#define G_LOG_DOMAIN "pn532-sim"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>

#include "co-pn532-sim.h"

typedef struct
{
  CoPn532Sim       *sim;
  GMainLoop        *loop;
  GDataInputStream *input;
  GCancellable     *cancellable;
  gboolean          reading;
} Program;

static void read_next_line (Program *program);

static gboolean
run_command (Program     *program,
             const char  *line,
             GError     **error)
{
  g_auto(GStrv) argv = NULL;
  int argc;

  if (!g_shell_parse_argv (line, &argc, &argv, NULL))
    return TRUE;

  if (g_str_equal (argv[0], "card") && argc >= 2 && argc <= 4)
    {
      CoPn532SimCard card = strlen (argv[1]) == 14 ? CO_PN532_SIM_ULTRALIGHT
                                                   : CO_PN532_SIM_CLASSIC_1K;
      int answers = argc == 4 ? atoi (argv[3]) : -1;

      if (argc >= 3 && !co_pn532_sim_card_from_string (argv[2], &card))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown card type “%s”", argv[2]);
          return FALSE;
        }
      return co_pn532_sim_put_card_hex (program->sim, argv[1], card, answers, error);
    }
  if (g_str_equal (argv[0], "remove") && argc == 1)
    {
      co_pn532_sim_remove_card (program->sim);
      return TRUE;
    }
  if (g_str_equal (argv[0], "answers") && argc == 2)
    {
      co_pn532_sim_set_card_answers (program->sim, atoi (argv[1]));
      return TRUE;
    }
  if (g_str_equal (argv[0], "delay") && argc == 2)
    {
      co_pn532_sim_set_delay_ms (program->sim, MAX (0, atoi (argv[1])));
      return TRUE;
    }
  if (g_str_equal (argv[0], "mute") && argc == 2)
    {
      co_pn532_sim_set_mute (program->sim, g_str_equal (argv[1], "on"));
      return TRUE;
    }
  if (g_str_equal (argv[0], "unplug") && argc == 1)
    {
      co_pn532_sim_unplug (program->sim);
      return TRUE;
    }
  if (g_str_equal (argv[0], "replug") && argc == 1)
    return co_pn532_sim_replug (program->sim, error);
  if (g_str_equal (argv[0], "quit") && argc == 1)
    {
      g_main_loop_quit (program->loop);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown command “%s”", line);
  return FALSE;
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Program *program = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  program->reading = FALSE;
  line = g_data_input_stream_read_line_finish_utf8 (program->input, result, NULL, &error);
  if (line == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("pn532-sim: %s\n", error->message);
      g_main_loop_quit (program->loop);
      return;
    }

  g_strstrip (line);
  if (line[0] != '\0' && line[0] != '#')
    {
      if (run_command (program, line, &error))
        g_print ("ok\n");
      else
        g_print ("error: %s\n", error->message);
      fflush (stdout);
    }
  if (g_main_loop_is_running (program->loop))
    read_next_line (program);
}

static void
read_next_line (Program *program)
{
  program->reading = TRUE;
  g_data_input_stream_read_line_async (program->input, G_PRIORITY_DEFAULT, program->cancellable,
                                       read_line_cb, program);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Program *program = user_data;

  g_main_loop_quit (program->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *link_path = NULL;
  int delay_ms = 0;
  GOptionEntry entries[] = {
    { "link", 0, 0, G_OPTION_ARG_FILENAME, &link_path,
      "Where the reader's device appears (a symlink to the pty)", "PATH" },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay_ms,
      "Milliseconds the chip takes to report that no card answered (52 is realistic)", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPn532Sim) sim = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Program program;
  guint sigint_id, sigterm_id;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "A PN532 NFC reader simulated on a pty, driven on stdin.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("pn532-sim: %s\n", error->message);
      return 2;
    }

  if ((sim = co_pn532_sim_new (link_path, &error)) == NULL)
    {
      g_printerr ("pn532-sim: %s\n", error->message);
      return 1;
    }
  co_pn532_sim_set_delay_ms (sim, MAX (0, delay_ms));

  loop = g_main_loop_new (NULL, FALSE);
  stdin_stream = g_unix_input_stream_new (0, FALSE);
  input = g_data_input_stream_new (stdin_stream);
  program = (Program) { sim, loop, input, cancellable, FALSE };

  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &program);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &program);

  g_print ("ready %s\n", co_pn532_sim_get_connstring (sim));
  fflush (stdout);

  read_next_line (&program);
  g_main_loop_run (loop);

  /* Let the pending read finish before its stream goes. */
  g_cancellable_cancel (cancellable);
  while (program.reading)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return 0;
}
