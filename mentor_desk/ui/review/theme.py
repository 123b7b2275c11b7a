"""The workspace's style sheet: state shown by colour *and* text, calm neutral surfaces."""

WORKSPACE_QSS = """
#reviewSubtitle, #hint { color: palette(placeholder-text); }
#modeBanner { background: #fff4ce; color: #5c4400; border: 1px solid #e8d48a; border-radius: 4px; padding: 6px; }
#explanation { color: palette(placeholder-text); padding: 8px; font-style: italic; }
#missionTotals { font-weight: 600; padding: 6px 8px; border-radius: 4px;
                 background: palette(alternate-base); }
#missionTotals[state="pass"] { background: #e3f4e6; color: #1f6b2c; }
#missionTotals[state="fail"] { background: #fbe5e5; color: #9b1c1c; }
#subtaskScore { font-weight: 600; }
#criterionRow { border: 1px solid transparent; border-radius: 4px; }
#criterionRow[current="true"] { border: 1px dashed palette(mid); }
#rubricScorer[active="true"] #criterionRow[current="true"] { border: 2px solid palette(highlight);
                                                             background: palette(alternate-base); }
#scorerKeys { color: palette(placeholder-text); background: palette(base); border: 1px solid palette(mid);
              border-radius: 3px; padding: 2px 8px; }
#scorerKeys[active="true"] { color: palette(highlighted-text); background: palette(highlight);
                             border-color: palette(highlight); }
#levelDescriptor { padding-left: 4px; }
#criterionDetails { color: palette(text); background: palette(base); border-left: 3px solid palette(mid);
                    padding: 3px 6px; }
#criterionTitle { font-weight: 600; }
#criterionRow QToolButton { padding: 2px 6px; min-width: 64px; border: 1px solid palette(mid); border-radius: 3px; }
#criterionRow QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);
                                     border-color: palette(highlight); }
#changeNote { color: #8a5a00; }
#learnerNotes { color: palette(text); background: palette(base); border-left: 3px solid palette(mid);
                padding: 3px 6px; }
#decisionCard { border: 1px solid palette(mid); border-radius: 6px; border-left-width: 5px; }
#decisionCard[mark="same"] { border-left-color: #2e8540; }
#decisionCard[mark="different"] { border-left-color: #c2410c; }
#decisionCard[mark="skipped"] { border-left-color: #6b7280; }
#decisionCard[mark="extra"] { border-left-color: #2563eb; }
#cardTitle { font-weight: 600; }
#resultPreview { font-weight: 600; }
#warning { background: #fbe5e5; color: #9b1c1c; padding: 4px; border-radius: 3px; }
QPushButton#primary { font-weight: 600; padding: 6px 14px; }
"""
