/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Operation Log: every operation made at this desk.
 */
#define G_LOG_DOMAIN "co-log-page"

#include "config.h"

#include "co-log-page.h"

struct _CoLogPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (CoLogPage, co_log_page, GTK_TYPE_WIDGET)

static void
co_log_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_LOG_PAGE);

  G_OBJECT_CLASS (co_log_page_parent_class)->dispose (object);
}

static void
co_log_page_class_init (CoLogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_log_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, status_page);
}

static void
co_log_page_init (CoLogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
