#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The unmodified fixture, imported a second time: every row is unchanged.
:
