/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Verification (核验): a kiosk view readable from a step away. A card put
 * on the reader, or an education ID, 一卡通号 or QR code typed or scanned
 * into the entry (a keyboard-wedge scanner types and presses Enter), gets
 * one verdict from the roster snapshot (CoVerifier, no network): the
 * student's photo, name, class, school, stage and 有效期, and the verdict
 * in colour and words.
 *
 * Events: the one being checked in to is picked (or made, 新建活动) here;
 * events and the pick are kept in the store. At an event every verdict is
 * kept with its outbox entry; the application's outbox watcher uploads
 * them, and the page shows how many wait. 导出考勤 writes the event's
 * attendance as CSV (UTF-8 with BOM, for spreadsheets; 0600) in the
 * user's words: translated titles, 已核验/未到/未通过 and the verdicts'
 * titles. The event can be renamed, or deleted after a confirmation
 * (refused while its check-ins wait in the outbox).
 */
#define G_LOG_DOMAIN "co-verify-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-attendance.h"
#include "co-error-text.h"
#include "co-event-dialog.h"
#include "co-handout-panel.h"
#include "co-outbox-watcher.h"
#include "co-store-events.h"
#include "co-reader.h"
#include "co-reason-text.h"
#include "co-verify-page.h"

#define SNAPSHOT_REFRESH_SECONDS 30

struct _CoVerifyPage
{
  GtkWidget      parent_instance;

  CoStore       *store;
  GSettings     *settings;
  CoVerifier    *verifier;
  CoReader      *reader;
  CoVerdict     *verdict;
  CoEvent       *event;
  CoOutboxWatcher *outbox_watcher;
  CoClient      *client;            /* tests; else the application's */
  GPtrArray     *events;            /* of CoEvent: the dropdown's, after "No Event" */
  GtkFileChooserNative *export_chooser;
  gboolean       updating_events;
  gboolean       has_today;
  GDate          today;
  guint          snapshot_timeout;

  /* Template widgets */
  GtkBox        *main_box;
  GtkLabel      *reader_label;
  GtkLabel      *event_label;
  GtkLabel      *snapshot_label;
  GtkDropDown   *event_dropdown;
  GtkButton     *new_event_button;
  GtkButton     *rename_event_button;
  GtkButton     *delete_event_button;
  GtkButton     *export_button;
  GtkLabel      *export_label;
  GtkLabel      *outbox_label;
  GtkToggleButton *handout_toggle;
  CoHandoutPanel *handout_panel;
  GtkEntry      *input_entry;
  GtkLabel      *input_error_label;
  GtkStack      *view_stack;
  AdwStatusPage *status_page;
  GtkBox        *verdict_box;
  GtkStack      *photo_stack;
  AdwAvatar     *avatar;
  GtkPicture    *photo_picture;
  GtkLabel      *verdict_label;
  GtkLabel      *detail_label;
  GtkLabel      *name_label;
  GtkLabel      *class_label;
  GtkLabel      *school_label;
  GtkLabel      *valid_label;
};

G_DEFINE_FINAL_TYPE (CoVerifyPage, co_verify_page, GTK_TYPE_WIDGET)

static const char * const verdict_classes[] = {
  "co-verdict-good", "co-verdict-warning", "co-verdict-bad",
};

/* Helpers */

static const char *
verdict_title (CoVerdictKind kind)
{
  switch (kind)
    {
    case CO_VERDICT_VALID: return _("Valid");
    case CO_VERDICT_LOST: return _("Reported Lost");
    case CO_VERDICT_REPLACED: return _("Replaced");
    case CO_VERDICT_CANCELLED: return _("Cancelled");
    case CO_VERDICT_EXPIRED: return _("Expired");
    case CO_VERDICT_UNKNOWN: return _("Not Registered");
    case CO_VERDICT_NOT_ON_LIST: return _("Not on This Event’s List");
    case CO_VERDICT_ALREADY_CHECKED_IN: return _("Already Checked In");
    case CO_VERDICT_BAD_INPUT:
    default:
      return _("Not a Card Number");
    }
}

static const char *
verdict_class (CoVerdictKind kind)
{
  switch (kind)
    {
    case CO_VERDICT_VALID: return verdict_classes[0];
    case CO_VERDICT_ALREADY_CHECKED_IN: return verdict_classes[1];
    default: return verdict_classes[2];
    }
}

/* Translated detail line; NULL: none. */
static char *
verdict_detail (const CoVerdict *v)
{
  switch (v->kind)
    {
    case CO_VERDICT_VALID:
      return NULL;
    case CO_VERDICT_LOST:
      return g_strdup (_("This card was reported lost: keep it."));
    case CO_VERDICT_REPLACED:
      return g_strdup (_("This is an old card: the student has been given a new one. Keep it."));
    case CO_VERDICT_CANCELLED:
      return g_strdup (_("This card has been cancelled and can no longer be used."));
    case CO_VERDICT_EXPIRED:
      return g_strdup_printf (_("The card was valid until %s."), v->valid_until);
    case CO_VERDICT_UNKNOWN:
      return g_strdup (v->input == CO_VERIFY_INPUT_EDU_ID
                       ? _("No student with this education ID is in the roster.")
                       : _("This card is not in the roster."));
    case CO_VERDICT_NOT_ON_LIST:
      return g_strdup (_("The student is not on the list of this event."));
    case CO_VERDICT_ALREADY_CHECKED_IN:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (v->checked_in_at);
        g_autofree char *time = g_date_time_format (local, "%H:%M:%S");

        return g_strdup_printf (_("Checked in already at %s."), time);
      }
    case CO_VERDICT_BAD_INPUT:
    default:
      return NULL;
    }
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
show_photo (CoVerifyPage *self,
            CoStudent    *student)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  adw_avatar_set_text (self->avatar, student ? co_student_get_name (student) : NULL);

  if (student != NULL &&
      (jpeg = co_store_get_photo (self->store, co_student_get_edu_id (student), NULL)) &&
      (texture = gdk_texture_new_from_bytes (jpeg, NULL)))
    {
      gtk_picture_set_paintable (self->photo_picture, GDK_PAINTABLE (texture));
      gtk_stack_set_visible_child_name (self->photo_stack, "photo");
    }
  else
    {
      gtk_picture_set_paintable (self->photo_picture, NULL);
      gtk_stack_set_visible_child_name (self->photo_stack, "avatar");
    }
}

static void
show_verdict (CoVerifyPage *self,
              CoVerdict    *verdict)
{
  CoStudent *student = verdict->student;
  g_autofree char *detail = verdict_detail (verdict);

  g_clear_pointer (&self->verdict, co_verdict_free);
  self->verdict = verdict;

  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), verdict_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), verdict_class (verdict->kind));

  gtk_label_set_label (self->verdict_label, verdict_title (verdict->kind));
  gtk_stack_set_visible_child_name (self->view_stack, "verdict");
  set_label (self->detail_label, detail);
  show_photo (self, student);

  if (student != NULL)
    {
      g_autofree char *class_text =
        g_strdup_printf (_("Grade %d, %s"), co_student_get_grade (student),
                         co_student_get_class_name (student));
      g_autofree char *school_text =
        g_strdup_printf ("%s · %s", co_student_get_school (student),
                         co_stage_to_text (co_student_get_stage (student)));
      g_autofree char *valid_text =
        verdict->valid_until ? g_strdup_printf (_("Valid until %s"), verdict->valid_until) : NULL;

      set_label (self->name_label, co_student_get_name (student));
      set_label (self->class_label, class_text);
      set_label (self->school_label, school_text);
      set_label (self->valid_label, valid_text);
    }
  else
    {
      set_label (self->name_label, NULL);
      set_label (self->class_label, NULL);
      set_label (self->school_label, NULL);
      set_label (self->valid_label, NULL);
    }
}

static void
update_outbox_label (CoVerifyPage *self)
{
  g_autofree char *text = NULL;
  guint n;

  if (self->store == NULL)
    return;

  n = self->outbox_watcher != NULL
      ? co_outbox_watcher_get_n_pending (self->outbox_watcher)
      : co_store_get_n_outbox (self->store);
  if (n > 0)
    /* Translators: check-ins made offline, not yet sent to the platform */
    text = g_strdup_printf (ngettext ("%u waiting to upload", "%u waiting to upload", n), n);
  set_label (self->outbox_label, text);
}

/* At an event, every verdict is kept (durably, with its outbox entry): a
 * VALID one checks the student in, the others are refusals. */
static void
record_check_in (CoVerifyPage    *self,
                 const CoVerdict *verdict)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *edu_id;

  if (self->event == NULL || verdict->kind == CO_VERDICT_BAD_INPUT)
    return;

  now = g_date_time_new_now_local ();
  edu_id = verdict->student ? co_student_get_edu_id (verdict->student) : NULL;

  if (verdict->kind == CO_VERDICT_VALID)
    co_event_check_in (self->event, edu_id, now);

  key = co_store_add_check_in (self->store, co_event_get_id (self->event), edu_id,
                               co_verdict_kind_to_string (verdict->kind), now, &error);

  if (self->outbox_watcher != NULL)
    co_outbox_watcher_queue_drain (self->outbox_watcher);
  update_outbox_label (self);

  /* Said where the outbox count is, in words (disk full...): this check-in
   * is not recorded, the earlier ones are. */
  if (key == NULL)
    {
      g_autofree char *text = co_error_to_text (error);
      g_autofree char *line = g_strdup_printf (_("This check-in was not recorded: %s"), text);

      g_warning ("A check-in could not be saved: %s", error->message);
      set_label (self->outbox_label, line);
    }
}

static CoClient *
get_client (CoVerifyPage *self)
{
  GtkRoot *root;
  GtkApplication *app;

  if (self->client != NULL)
    return self->client;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!GTK_IS_WINDOW (root))
    return NULL;
  app = gtk_window_get_application (GTK_WINDOW (root));

  return CO_IS_APPLICATION (app) ? co_application_get_client (CO_APPLICATION (app)) : NULL;
}

static void
verify (CoVerifyPage *self,
        CoVerdict    *verdict)
{
  /* Handing out: whose card it is, not a check-in. */
  if (gtk_toggle_button_get_active (self->handout_toggle) && verdict->student == NULL)
    {
      show_verdict (self, verdict);
      return;
    }
  if (gtk_toggle_button_get_active (self->handout_toggle))
    {
      co_handout_panel_set_client (self->handout_panel, get_client (self));
      co_handout_panel_show_student (self->handout_panel, verdict->student);
      g_clear_pointer (&self->verdict, co_verdict_free);
      self->verdict = verdict;
      gtk_stack_set_visible_child_name (self->view_stack, "handout");
      return;
    }

  record_check_in (self, verdict);
  show_verdict (self, verdict);
}

static void
update_reader_label (CoVerifyPage *self)
{
  gboolean connected = co_verify_page_get_reader_connected (self);

  gtk_label_set_label (self->reader_label,
                       connected ? _("Card Reader Connected") : _("No Card Reader"));
  if (connected)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->reader_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->reader_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->reader_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->reader_label), "warning");
    }
}

static char *
format_age (GTimeSpan age)
{
  gint64 minutes = MAX (age, 0) / G_TIME_SPAN_MINUTE;

  if (minutes < 60)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", (gulong) minutes), (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", (gulong) (minutes / 60)),
                            (int) (minutes / 60));
  return g_strdup_printf (ngettext ("%d day", "%d days", (gulong) (minutes / (24 * 60))),
                          (int) (minutes / (24 * 60)));
}

static void
update_snapshot_label (CoVerifyPage *self)
{
  g_autoptr(GDateTime) synced = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *age = NULL;
  g_autofree char *text = NULL;

  if (self->store == NULL || !(synced = co_store_get_synced_at (self->store)))
    {
      gtk_label_set_label (self->snapshot_label, _("Roster never synced"));
      return;
    }

  now = g_date_time_new_now_utc ();
  if (g_date_time_difference (now, synced) < G_TIME_SPAN_MINUTE)
    {
      gtk_label_set_label (self->snapshot_label, _("Roster updated just now"));
      return;
    }

  age = format_age (g_date_time_difference (now, synced));
  /* Translators: %s is an age, "5 minutes" */
  text = g_strdup_printf (_("Roster updated %s ago"), age);
  gtk_label_set_label (self->snapshot_label, text);
}

static void
update_event_label (CoVerifyPage *self)
{
  g_autofree char *text = NULL;

  if (self->event != NULL)
    /* Translators: event name and date */
    text = g_strdup_printf (_("Event: %s, %s"), co_event_get_name (self->event),
                            co_event_get_date (self->event));
  set_label (self->event_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->event != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rename_event_button), self->event != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_event_button), self->event != NULL);
}

/* The dropdown: "No Event", then the events, the current one selected. */
static void
update_event_dropdown (CoVerifyPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (list, _("No Event"));
  for (guint i = 0; i < self->events->len; i++)
    {
      CoEvent *event = g_ptr_array_index (self->events, i);
      /* Translators: event name and date in the event picker */
      g_autofree char *item = g_strdup_printf (_("%s (%s)"), co_event_get_name (event),
                                               co_event_get_date (event));

      gtk_string_list_append (list, item);
      if (event == self->event)
        selected = i + 1;
    }

  self->updating_events = TRUE;
  gtk_drop_down_set_model (self->event_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->event_dropdown, selected);
  self->updating_events = FALSE;
}

static void
set_event (CoVerifyPage *self,
           CoEvent      *event)
{
  g_set_object (&self->event, event);
  if (self->verifier != NULL)
    co_verifier_set_event (self->verifier, event);
  update_event_label (self);
  gtk_widget_set_visible (GTK_WIDGET (self->export_label), FALSE);
}

static void
save_current_event (CoVerifyPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store != NULL &&
      !co_store_set_current_event (self->store, self->event ? co_event_get_id (self->event) : NULL,
                                   &error))
    g_warning ("The current event could not be saved: %s", error->message);
}

static void
load_events (CoVerifyPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *current = NULL;

  if (!(events = co_store_list_events (self->store, &error)))
    {
      g_warning ("Events could not be read: %s", error->message);
      return;
    }

  g_ptr_array_extend_and_steal (self->events, g_steal_pointer (&events));
  current = co_store_get_current_event_id (self->store);
  if (self->event == NULL && current != NULL)
    for (guint i = 0; i < self->events->len; i++)
      if (g_strcmp0 (co_event_get_id (g_ptr_array_index (self->events, i)), current) == 0)
        set_event (self, g_ptr_array_index (self->events, i));

  update_event_dropdown (self);
}

static void
show_export_result (CoVerifyPage *self,
                    const char   *text,
                    gboolean      failed)
{
  set_label (self->export_label, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->export_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->export_label), "error");
}

/* Callbacks */

static void
on_reader_card_presented_cb (CoVerifyPage *self,
                             CoCardTap    *tap)
{
  if (self->verifier == NULL)
    return;

  verify (self, co_verifier_verify_uid (self->verifier, co_card_tap_get_uid (tap)));
}

static void
on_reader_state_cb (CoVerifyPage *self)
{
  update_reader_label (self);
}

static void
on_settings_reader_connstring_changed_cb (CoVerifyPage *self)
{
  g_autofree char *connstring = g_settings_get_string (self->settings, "reader-connstring");

  if (self->reader != NULL)
    co_reader_set_connstring (self->reader, *connstring ? connstring : NULL);
}

static void
on_store_changed_cb (CoVerifyPage *self)
{
  update_snapshot_label (self);
}

static void
on_handout_toggle_toggled_cb (CoVerifyPage *self)
{
  gboolean active = gtk_toggle_button_get_active (self->handout_toggle);

  /* Back to the empty state: the last verdict was for the other mode. */
  gtk_stack_set_visible_child_name (self->view_stack, "empty");
  g_clear_pointer (&self->verdict, co_verdict_free);
  adw_status_page_set_title (self->status_page, active ? _("Hand Out Cards") : _("Tap a Card"));
  adw_status_page_set_description (self->status_page,
                                   active
                                   ? _("Put the student’s card on the reader, or type or scan the education ID, to hand out a new or reissued card and check its sticker.")
                                   : _("Put a student card on the reader, or type or scan a number, to see whose card it is and whether it is valid, even without a network connection."));
  gtk_widget_grab_focus (GTK_WIDGET (self->input_entry));
}

static void
on_outbox_watcher_n_pending_cb (CoVerifyPage *self)
{
  update_outbox_label (self);
}

static void
on_event_dropdown_selected_cb (CoVerifyPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->event_dropdown);

  if (self->updating_events || selected == GTK_INVALID_LIST_POSITION)
    return;

  set_event (self, selected == 0 ? NULL : g_ptr_array_index (self->events, selected - 1));
  save_current_event (self);
}

static void
on_event_dialog_event_created_cb (CoVerifyPage *self,
                                  CoEvent      *event)
{
  g_autoptr(GError) error = NULL;

  if (!co_verify_page_add_event (self, event, &error))
    {
      g_autofree char *reason = co_error_to_text (error);
      g_autofree char *text = g_strdup_printf (_("The event could not be saved: %s"), reason);

      show_export_result (self, text, TRUE);
    }
}

static void
on_new_event_button_clicked_cb (CoVerifyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = NULL;
  CoEventDialog *dialog;

  if (self->has_today)
    {
      char buffer[16];

      g_date_strftime (buffer, sizeof buffer, "%Y-%m-%d", &self->today);
      today = g_strdup (buffer);
    }
  else
    today = g_date_time_format (now, "%Y-%m-%d");

  dialog = co_event_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, today);
  g_signal_connect_object (dialog, "event-created",
                           G_CALLBACK (on_event_dialog_event_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_rename_dialog_entry_changed_cb (AdwMessageDialog *dialog,
                                   GtkEditable      *entry)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", *name != '\0');
}

static void
on_rename_dialog_response_cb (CoVerifyPage     *self,
                              const char       *response,
                              AdwMessageDialog *dialog)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_str_equal (response, "rename"))
    co_verify_page_rename_event (self, gtk_editable_get_text (entry), NULL);
}

static void
on_rename_event_button_clicked_cb (CoVerifyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *entry;

  if (self->event == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Rename Event"), NULL);
  /* Translators: %s is the event's date */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The event of %s keeps its list and its check-ins."),
                                  co_event_get_date (self->event));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), co_event_get_name (self->event));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Event name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_rename_dialog_entry_changed_cb),
                           dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_dialog_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_dialog_response_cb (CoVerifyPage     *self,
                              const char       *response,
                              AdwMessageDialog *dialog)
{
  if (g_str_equal (response, "delete"))
    co_verify_page_delete_event (self, NULL);
}

static void
on_delete_event_button_clicked_cb (CoVerifyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->event == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  /* Translators: %s is the event's name, then its date */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s” (%s)?"),
                                     co_event_get_name (self->event),
                                     co_event_get_date (self->event));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The event leaves this desk’s list. The check-ins already sent stay on the server."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_dialog_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_export_chooser_response_cb (CoVerifyPage         *self,
                               int                   response,
                               GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  CoAttendanceCounts counts = { 0 };

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    co_verify_page_export_attendance (self, file, &counts, &error);

  g_clear_object (&self->export_chooser);
}

static void
on_export_button_clicked_cb (CoVerifyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;

  if (self->event == NULL || self->export_chooser != NULL)
    return;

  self->export_chooser =
    gtk_file_chooser_native_new (_("Export Attendance"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  /* Translators: the file name of an attendance export: event name, date */
  name = g_strdup_printf (_("%s %s attendance.csv"), co_event_get_name (self->event),
                          co_event_get_date (self->event));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_chooser), TRUE);
  g_signal_connect_object (self->export_chooser, "response",
                           G_CALLBACK (on_export_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

static gboolean
on_snapshot_timeout_cb (gpointer user_data)
{
  update_snapshot_label (CO_VERIFY_PAGE (user_data));

  return G_SOURCE_CONTINUE;
}

static void
on_input_entry_changed_cb (CoVerifyPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->input_entry), "error");
}

static void
on_input_entry_activate_cb (CoVerifyPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->input_entry));
  CoVerdict *verdict;

  if (self->verifier == NULL)
    return;

  verdict = co_verifier_verify_text (self->verifier, text);
  if (verdict->kind == CO_VERDICT_BAD_INPUT)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not an education ID (8 digits), a card number or a chip UID."),
                         g_strstrip (g_strdup (text)));

      /* Keep what was typed, to be corrected. */
      co_verdict_free (verdict);
      set_label (self->input_error_label, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->input_entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->input_entry));
      return;
    }

  verify (self, verdict);
  /* The next scan replaces the text; it stays to be read meanwhile. */
  gtk_editable_select_region (GTK_EDITABLE (self->input_entry), 0, -1);
}

/* Set-up */

static void
start_reader (CoVerifyPage *self)
{
  if (self->reader == NULL && self->settings != NULL)
    {
      g_autofree char *connstring = g_settings_get_string (self->settings, "reader-connstring");

      self->reader = co_reader_new (*connstring ? connstring : NULL);
      g_signal_connect_object (self->reader, "card-presented",
                               G_CALLBACK (on_reader_card_presented_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "reader-found",
                               G_CALLBACK (on_reader_state_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "reader-lost",
                               G_CALLBACK (on_reader_state_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "notify::connected",
                               G_CALLBACK (on_reader_state_cb), self, G_CONNECT_SWAPPED);
    }

  if (self->reader != NULL && !co_reader_get_running (self->reader))
    co_reader_start (self->reader);

  update_reader_label (self);
}

static void
take_application_store (CoVerifyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;
  CoStore *store;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL || !GTK_IS_WINDOW (root))
    return;

  app = gtk_window_get_application (GTK_WINDOW (root));
  if (!CO_IS_APPLICATION (app))
    return;

  if (!(store = co_application_get_store (CO_APPLICATION (app), &error)))
    {
      g_warning ("No store for verification: %s", error->message);
      return;
    }

  co_verify_page_set_store (self, store, co_application_get_settings (CO_APPLICATION (app)));
  co_verify_page_set_outbox_watcher (self,
                                     co_application_get_outbox_watcher (CO_APPLICATION (app)));
}

/* GObject */

static void
co_verify_page_map (GtkWidget *widget)
{
  CoVerifyPage *self = CO_VERIFY_PAGE (widget);

  GTK_WIDGET_CLASS (co_verify_page_parent_class)->map (widget);

  take_application_store (self);
  start_reader (self);
  update_snapshot_label (self);
  if (self->snapshot_timeout == 0)
    self->snapshot_timeout = g_timeout_add_seconds (SNAPSHOT_REFRESH_SECONDS,
                                                    on_snapshot_timeout_cb, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->input_entry));
}

static void
co_verify_page_unmap (GtkWidget *widget)
{
  CoVerifyPage *self = CO_VERIFY_PAGE (widget);

  g_clear_handle_id (&self->snapshot_timeout, g_source_remove);
  /* The reader is free for other pages (and programs) while hidden. */
  if (self->reader != NULL)
    co_reader_stop (self->reader);

  GTK_WIDGET_CLASS (co_verify_page_parent_class)->unmap (widget);
}

static void
co_verify_page_dispose (GObject *object)
{
  CoVerifyPage *self = (CoVerifyPage *)object;

  g_clear_handle_id (&self->snapshot_timeout, g_source_remove);
  if (self->reader != NULL)
    co_reader_stop (self->reader);
  g_clear_object (&self->reader);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  g_clear_object (&self->outbox_watcher);
  g_clear_object (&self->client);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_object (&self->verifier);
  g_clear_object (&self->event);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->verdict, co_verdict_free);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_VERIFY_PAGE);

  G_OBJECT_CLASS (co_verify_page_parent_class)->dispose (object);
}

static void
co_verify_page_class_init (CoVerifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_verify_page_dispose;
  widget_class->map = co_verify_page_map;
  widget_class->unmap = co_verify_page_unmap;

  g_type_ensure (CO_TYPE_HANDOUT_PANEL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-verify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, main_box);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, reader_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, event_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, snapshot_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, event_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, new_event_button);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, rename_event_button);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, delete_event_button);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, export_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, outbox_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, handout_toggle);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, handout_panel);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, input_entry);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, input_error_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, photo_stack);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, photo_picture);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, class_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, school_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, valid_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_input_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_event_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_handout_toggle_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_event_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_rename_event_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_event_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_button_clicked_cb);
}

static void
co_verify_page_init (CoVerifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  update_event_dropdown (self);
}

/* Public API */

void
co_verify_page_set_store (CoVerifyPage *self,
                          CoStore      *store,
                          GSettings    *settings)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));
  g_return_if_fail (CO_IS_STORE (store));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->store == store)
    return;
  /* Once per page: the application's store does not change. */
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->verifier = co_verifier_new (store);
  co_verifier_set_event (self->verifier, self->event);
  if (self->has_today)
    co_verifier_set_today (self->verifier, &self->today);

  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::reader-connstring",
                           G_CALLBACK (on_settings_reader_connstring_changed_cb), self,
                           G_CONNECT_SWAPPED);

  co_handout_panel_set_store (self->handout_panel, store);
  load_events (self);
  update_snapshot_label (self);
  update_outbox_label (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_reader (self);
}

void
co_verify_page_set_event (CoVerifyPage *self,
                          CoEvent      *event)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));
  g_return_if_fail (event == NULL || CO_IS_EVENT (event));

  /* An event not saved (tests) is shown in the picker all the same. */
  if (event != NULL && !g_ptr_array_find (self->events, event, NULL))
    g_ptr_array_add (self->events, g_object_ref (event));
  set_event (self, event);
  update_event_dropdown (self);
}

void
co_verify_page_set_client (CoVerifyPage *self,
                           CoClient     *client)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));
  g_return_if_fail (client == NULL || CO_IS_CLIENT (client));

  g_set_object (&self->client, client);
}

void
co_verify_page_set_handout_mode (CoVerifyPage *self,
                                 gboolean      handout)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));

  gtk_toggle_button_set_active (self->handout_toggle, handout);
}

gboolean
co_verify_page_get_handout_mode (CoVerifyPage *self)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);

  return gtk_toggle_button_get_active (self->handout_toggle);
}

CoEvent *
co_verify_page_get_event (CoVerifyPage *self)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), NULL);

  return self->event;
}

gboolean
co_verify_page_add_event (CoVerifyPage  *self,
                          CoEvent       *event,
                          GError       **error)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);
  g_return_val_if_fail (CO_IS_EVENT (event), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!co_store_put_event (self->store, event, error))
    return FALSE;

  g_ptr_array_insert (self->events, 0, g_object_ref (event));
  set_event (self, event);
  update_event_dropdown (self);
  save_current_event (self);

  return TRUE;
}

/* Reads the events back from the store (after a rename or a delete) and
 * picks @current_id again (NULL, or gone: no event). */
static gboolean
reload_events (CoVerifyPage  *self,
               const char    *current_id,
               GError       **error)
{
  g_autoptr(GPtrArray) events = NULL;
  CoEvent *current = NULL;

  if (!(events = co_store_list_events (self->store, error)))
    return FALSE;

  g_ptr_array_set_size (self->events, 0);
  g_ptr_array_extend_and_steal (self->events, g_steal_pointer (&events));
  for (guint i = 0; current_id != NULL && i < self->events->len; i++)
    if (g_str_equal (co_event_get_id (g_ptr_array_index (self->events, i)), current_id))
      current = g_ptr_array_index (self->events, i);
  set_event (self, current);
  update_event_dropdown (self);

  return TRUE;
}

gboolean
co_verify_page_rename_event (CoVerifyPage  *self,
                             const char    *name,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->store != NULL && self->event != NULL, FALSE);

  stripped = g_strstrip (g_strdup (name));
  id = g_strdup (co_event_get_id (self->event));
  if (*stripped == '\0')
    g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Give the event a name."));
  else if (co_store_rename_event (self->store, id, stripped, &local_error) &&
           reload_events (self, id, &local_error))
    {
      /* Translators: %s is the event's new name */
      g_autofree char *text = g_strdup_printf (_("The event is now called “%s”."), stripped);

      show_export_result (self, text, FALSE);
      return TRUE;
    }
  else
    {
      g_autofree char *reason = co_error_to_text (local_error);
      g_autofree char *text = g_strdup_printf (_("The event could not be renamed: %s"), reason);

      g_clear_error (&local_error);
      g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_FAILED, text);
    }

  show_export_result (self, local_error->message, TRUE);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
co_verify_page_delete_event (CoVerifyPage  *self,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);
  g_return_val_if_fail (self->store != NULL && self->event != NULL, FALSE);

  name = g_strdup (co_event_get_name (self->event));
  if (co_store_delete_event (self->store, co_event_get_id (self->event), &local_error) &&
      reload_events (self, NULL, &local_error))
    {
      /* Translators: %s is the event's name */
      text = g_strdup_printf (_("The event “%s” was deleted."), name);
      show_export_result (self, text, FALSE);
      return TRUE;
    }

  if (g_error_matches (local_error, CO_STORE_EVENTS_ERROR, CO_STORE_EVENTS_ERROR_PENDING))
    /* Translators: %s is the event's name */
    text = g_strdup_printf (_("“%s” was not deleted: some of its check-ins are not sent yet. "
                              "Connect to the server, wait until nothing is waiting, then delete it."),
                            name);
  else
    {
      g_autofree char *reason = co_error_to_text (local_error);

      text = g_strdup_printf (_("The event could not be deleted: %s"), reason);
    }
  show_export_result (self, text, TRUE);
  g_clear_error (&local_error);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, text);
  return FALSE;
}

void
co_verify_page_set_outbox_watcher (CoVerifyPage    *self,
                                   CoOutboxWatcher *watcher)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));
  g_return_if_fail (watcher == NULL || CO_IS_OUTBOX_WATCHER (watcher));

  if (self->outbox_watcher == watcher)
    return;

  if (self->outbox_watcher != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox_watcher, self);
  g_set_object (&self->outbox_watcher, watcher);
  if (watcher != NULL)
    g_signal_connect_object (watcher, "notify::n-pending",
                             G_CALLBACK (on_outbox_watcher_n_pending_cb), self, G_CONNECT_SWAPPED);
  update_outbox_label (self);
}

/* The attendance list in the user's words: a refusal's result is the
 * verdict's title, as shown on the page. */
static char *
attendance_result_text (const char *result,
                        gpointer    user_data)
{
  for (CoVerdictKind kind = CO_VERDICT_VALID; kind <= CO_VERDICT_BAD_INPUT; kind++)
    if (g_strcmp0 (result, co_verdict_kind_to_string (kind)) == 0)
      return g_strdup (verdict_title (kind));

  return NULL;
}

gboolean
co_verify_page_export_attendance (CoVerifyPage        *self,
                                  GFile               *file,
                                  CoAttendanceCounts  *counts,
                                  GError             **error)
{
  static const char bom[] = "\xEF\xBB\xBF";
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *text = NULL;
  CoAttendanceCounts local_counts = { 0 };
  const CoAttendanceText words = {
    .headers = {
      [CO_ATTENDANCE_COLUMN_EDU_ID] = _("Education ID"),
      [CO_ATTENDANCE_COLUMN_NAME] = _("Name"),
      [CO_ATTENDANCE_COLUMN_GRADE] = _("Grade"),
      [CO_ATTENDANCE_COLUMN_CLASS] = _("Class"),
      [CO_ATTENDANCE_COLUMN_STATUS] = _("Status"),
      [CO_ATTENDANCE_COLUMN_TIME] = _("Time"),
      [CO_ATTENDANCE_COLUMN_RESULT] = _("Result"),
    },
    .statuses = {
      /* Translators: attendance: came, and the card was valid */
      [CO_ATTENDANCE_PRESENT] = C_("attendance", "Checked In"),
      /* Translators: attendance: on the list, never came */
      [CO_ATTENDANCE_ABSENT] = C_("attendance", "Absent"),
      /* Translators: attendance: came, but the card was refused */
      [CO_ATTENDANCE_REFUSED] = C_("attendance", "Refused"),
    },
    .result_func = attendance_result_text,
  };

  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->store != NULL && self->event != NULL, FALSE);

  basename = g_file_get_basename (file);

  /* PRIVATE: the list names students, 0600 like the store. */
  if (!(out = g_file_replace (file, NULL, FALSE,
                              G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                              NULL, &local_error)) ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (out), bom, sizeof bom - 1, NULL, NULL,
                                  &local_error) ||
      !co_attendance_write_csv (self->store, self->event, &words, G_OUTPUT_STREAM (out), &local_counts,
                                NULL, &local_error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &local_error) ||
      !g_file_set_attribute_uint32 (file, G_FILE_ATTRIBUTE_UNIX_MODE, 0600,
                                    G_FILE_QUERY_INFO_NONE, NULL, &local_error))
    {
      /* Translators: %s is a file name, then why it failed */
      text = g_strdup_printf (_("The attendance could not be saved to “%s”: %s"), basename,
                              local_error->message);
      show_export_result (self, text, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Translators: counts of students at an event, then the file name */
  text = g_strdup_printf (_("Saved “%s”: %u present, %u absent, %u refused"), basename,
                          local_counts.present, local_counts.absent, local_counts.refused);
  show_export_result (self, text, FALSE);
  if (counts != NULL)
    *counts = local_counts;

  return TRUE;
}

void
co_verify_page_set_today (CoVerifyPage *self,
                          const GDate  *today)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));

  self->has_today = today != NULL;
  if (today != NULL)
    self->today = *today;
  if (self->verifier != NULL)
    co_verifier_set_today (self->verifier, today);
}

const CoVerdict *
co_verify_page_get_verdict (CoVerifyPage *self)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), NULL);

  return self->verdict;
}

gboolean
co_verify_page_get_reader_connected (CoVerifyPage *self)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);

  return self->reader != NULL && co_reader_get_connected (self->reader);
}
