"""The seeded curriculum: tracks, Tier-5 mastery missions (with branching points and ideal paths) and
weighted rubrics. Plain data; ``seed`` turns it into rows.

Mission shapes follow OCH's ``seed_mastery_missions`` (DEF-MAST-001 "Advanced Persistent Threat
Investigation" is taken from it nearly verbatim); weights and rubric ids are layer B additions.
"""

from __future__ import annotations

import uuid
from typing import Any

NAMESPACE = uuid.UUID("6f1c2a8e-3b0d-4f5e-9a61-0c7d2b4e8f10")

TRACKS = (
    # code, name, tier, track_key
    ("DEFENDER_5", "Cyber Defender - Mastery", 5, "defender"),
    ("OFFENSIVE_5", "Offensive Security - Mastery", 5, "offensive"),
    ("GRC_5", "Governance, Risk & Compliance - Mastery", 5, "grc"),
    ("INNOVATION_5", "Security Innovation - Mastery", 5, "innovation"),
    ("LEADERSHIP_5", "Security Leadership - Mastery", 5, "leadership"),
    ("DEFENDER_4", "Cyber Defender - Advanced", 4, "defender"),
)

CAPSTONE_STAGES = ("investigation", "decision_making", "design_remediation", "reporting", "presentation", "final")

LEVELS = (("Beginning", 1, "shows little of"), ("Developing", 2, "shows some of"),
          ("Proficient", 3, "shows solid"), ("Exemplary", 4, "shows outstanding"))

# key: (title, version, [(criterion id, title, description, weight)])
RUBRICS: dict[str, tuple[str, int, list[tuple[str, str, str, float]]]] = {
    "investigation": ("Investigation rigour", 2, [
        ("scoping", "Scoping", "clear scope, hypotheses and stakeholder alignment", 2),
        ("evidence_handling", "Evidence handling", "chain of custody and reproducible collection", 3),
        ("analysis_depth", "Analysis depth", "correlation across sources and pivoting on indicators", 3),
        ("documentation", "Documentation", "findings written so a peer can verify them", 2)]),
    "technical": ("Technical analysis", 1, [
        ("accuracy", "Technical accuracy", "correct use of tools and correct conclusions", 4),
        ("tooling", "Tooling", "appropriate tools, scripts and automation", 2),
        ("iocs", "Indicators", "complete, actionable indicators of compromise", 2)]),
    "decision": ("Decision quality", 2, [
        ("risk_reasoning", "Risk reasoning", "trade-offs of each option weighed explicitly", 3),
        ("timeliness", "Timeliness", "decisions taken at the right moment with the evidence at hand", 1),
        ("justification", "Justification", "choices traced back to evidence and business impact", 2)]),
    "remediation": ("Remediation design", 1, [
        ("prioritisation", "Prioritisation", "fixes ordered by risk reduction per effort", 3),
        ("feasibility", "Feasibility", "resources, owners and timelines that can really happen", 2),
        ("verification", "Verification", "how each fix will be shown to work", 2),
        ("resilience", "Long-term resilience", "architectural changes beyond the immediate fix", 1)]),
    "communication": ("Reporting and communication", 1, [
        ("structure", "Structure", "executive summary first, details on demand", 2),
        ("audience", "Audience fit", "technical depth tuned to each audience", 2),
        ("clarity", "Clarity", "plain language, no unexplained jargon", 1),
        ("visuals", "Visuals", "timelines and diagrams that carry the argument", 1),
        ("actionability", "Actionability", "every finding ends in an owner and an action", 2)]),
    "governance": ("Governance alignment", 1, [
        ("framework", "Framework mapping", "controls mapped to ISO 27001 / NIST CSF correctly", 3),
        ("risk_quant", "Risk quantification", "likelihood and impact estimated with stated assumptions", 3),
        ("policy", "Policy quality", "policies that are enforceable and measurable", 2)]),
    "innovation": ("Innovation and engineering", 2, [
        ("novelty", "Novelty", "an approach that improves on the status quo", 2),
        ("engineering", "Engineering quality", "tested, reviewable, maintainable code", 3),
        ("evaluation", "Evaluation", "measured against a baseline with honest error analysis", 3)]),
    "leadership": ("Leadership and command", 1, [
        ("command", "Command and control", "clear roles, cadence and escalation", 3),
        ("stakeholders", "Stakeholder management", "executives, legal and operations kept aligned", 2),
        ("people", "Team care", "workload, fatigue and handovers managed", 1),
        ("outcomes", "Outcomes", "measurable results against the objectives", 2)]),
}

# code, track, mission_type, title, description, competency tags,
# subtasks: (title, description, weight, rubric key, evidence file types),
# decisions: (subtask id, decision id, [(choice id, label)], ideal choice id, rationale)
MISSIONS: list[dict[str, Any]] = [
    {"code": "DEF-MAST-001", "track": "DEFENDER_5", "type": "advanced",
     "title": "Advanced Persistent Threat Investigation",
     "description": "Lead a multi-week investigation into a sophisticated APT campaign targeting critical "
                    "infrastructure. Coordinate with threat intelligence, forensics, and incident response teams.",
     "tags": ["APT", "Forensics", "Malware Analysis", "Incident Response", "Threat Intelligence"],
     "subtasks": [
         ("Initial Threat Assessment", "Analyze initial indicators, establish investigation scope, and coordinate "
          "with stakeholders", 2, "investigation", ["pdf", "docx"]),
         ("Network Forensics Analysis", "Deep packet analysis, log correlation, and network flow reconstruction",
          3, "technical", ["pcap", "log", "csv"]),
         ("Malware Reverse Engineering", "Static and dynamic analysis of malware samples, IOCs extraction", 3,
          "technical", ["zip", "pdf", "txt"]),
         ("Attack Timeline Reconstruction", "Build comprehensive timeline of attack phases, identify pivot "
          "points", 2, "investigation", ["pdf", "xlsx"]),
         ("Remediation Strategy Development", "Design comprehensive remediation plan with prioritization and "
          "resource requirements", 2, "remediation", ["pdf", "docx"])],
     "decisions": [
         (1, "scope_decision", [("narrow", "Focus on immediate containment"),
                                ("comprehensive", "Full investigation scope")], "comprehensive",
          "An APT with OT access needs the full scope: narrow containment tips off the actor."),
         (3, "malware_approach", [("static_first", "Static analysis first"),
                                  ("dynamic_first", "Detonate in the sandbox first")], "static_first",
          "Static triage first avoids tripping anti-analysis checks and keeps the sample intact.")]},
    {"code": "DEF-MAST-002", "track": "DEFENDER_5", "type": "capstone",
     "title": "Zero-Day Vulnerability Response",
     "description": "Respond to an actively exploited zero-day in the organisation's VPN appliance: assess "
                    "exposure, build detections, contain, and brief the executive team.",
     "tags": ["Zero-Day Response", "Vulnerability Management", "Incident Response", "SIEM", "Risk Assessment"],
     "subtasks": [
         ("Vulnerability Impact Assessment", "Identify all affected systems and assess exposure", 2,
          "investigation", ["pdf", "csv"]),
         ("Detection Rule Development", "Create SIEM rules and network signatures", 3, "technical",
          ["txt", "yml", "zip"]),
         ("Containment Strategy", "Design and implement containment measures", 3, "decision", ["pdf"]),
         ("Stakeholder Communication", "Prepare and deliver executive briefings", 2, "communication",
          ["pdf", "mp4"])],
     "decisions": [
         (2, "vpn_action", [("patch_inplace", "Apply vendor mitigation in place"),
                            ("isolate", "Take the appliance offline and fail over")], "isolate",
          "With exploitation confirmed and no patch, isolation is the only containment that holds."),
         (4, "disclosure_timing", [("immediate", "Notify the regulator now"),
                                   ("after_scope", "Notify once scope is confirmed")], "immediate",
          "The 72-hour clock starts at awareness; partial notification is allowed and expected.")]},
    {"code": "DEF-MAST-003", "track": "DEFENDER_5", "type": "advanced",
     "title": "Ransomware Containment at Scale",
     "description": "A ransomware affiliate has encrypted 40 file servers across three sites. Contain the "
                    "spread, preserve evidence, and restore critical services within the recovery objectives.",
     "tags": ["Ransomware", "Incident Response", "Active Directory", "Backup & Recovery"],
     "subtasks": [
         ("Blast Radius Mapping", "Map encrypted hosts, compromised accounts and lateral movement paths", 3,
          "investigation", ["csv", "pdf"]),
         ("Identity Containment", "Reset privileged credentials and cut the attacker's persistence", 3,
          "technical", ["log", "txt"]),
         ("Recovery Plan", "Sequence restores against RTO/RPO and verify backup integrity", 2, "remediation",
          ["pdf"])],
     "decisions": [
         (2, "krbtgt_reset", [("single", "Reset krbtgt once"), ("double", "Reset krbtgt twice, 10 h apart")],
          "double", "A double reset invalidates golden tickets without breaking replication.")]},
    {"code": "OFF-MAST-001", "track": "OFFENSIVE_5", "type": "advanced",
     "title": "Multi-Stage Red Team Exercise",
     "description": "Plan and execute an objective-based red team operation against a simulated financial "
                    "institution, from initial access to the crown-jewel database, without being detected.",
     "tags": ["Red Teaming", "OPSEC", "Lateral Movement", "C2"],
     "subtasks": [
         ("Reconnaissance and Initial Access", "OSINT, pretext design and a payload that survives EDR", 3,
          "technical", ["pdf", "zip"]),
         ("Privilege Escalation and Lateral Movement", "From a workstation foothold to domain admin", 3,
          "technical", ["log", "txt"]),
         ("Objective and Reporting", "Reach the objective and write the attack narrative", 2,
          "communication", ["pdf"])],
     "decisions": [
         (1, "access_vector", [("phishing", "Spear-phishing with a macro-less lure"),
                               ("vpn_spray", "Password spray the VPN")], "phishing",
          "Spraying trips lockout alerting; a tailored lure matches the threat model."),
         (2, "c2_channel", [("https", "HTTPS beacon via CDN fronting"), ("dns", "DNS tunnelling")], "https",
          "DNS tunnelling is loud on this network's resolver telemetry.")]},
    {"code": "OFF-MAST-002", "track": "OFFENSIVE_5", "type": "advanced",
     "title": "Cloud Privilege Escalation Chain",
     "description": "Starting from a leaked CI token, chain misconfigurations in a multi-account cloud estate "
                    "to reach production data, then propose guardrails that break the chain.",
     "tags": ["Cloud Security", "IAM", "Privilege Escalation", "CI/CD"],
     "subtasks": [
         ("Token Triage", "Determine what the leaked token can do and where", 2, "investigation", ["txt"]),
         ("Escalation Path", "Exploit role chaining to production", 3, "technical", ["log", "py"]),
         ("Persistence Decision", "Decide whether and how to persist", 1, "decision", ["pdf"]),
         ("Guardrails", "Service control policies and detections that stop the chain", 2, "remediation",
          ["pdf", "json"])],
     "decisions": [
         (3, "persistence", [("none", "No persistence, document only"),
                             ("access_key", "Create a shadow access key")], "none",
          "The rules of engagement forbid persistence in production accounts.")]},
    {"code": "OFF-MAST-003", "track": "OFFENSIVE_5", "type": "capstone",
     "title": "Full-Scope Adversary Emulation",
     "description": "Emulate a named threat actor end to end against a purple-team range, measure detection "
                    "coverage, and present the results to the blue team and leadership.",
     "tags": ["Adversary Emulation", "MITRE ATT&CK", "Purple Teaming"],
     "subtasks": [
         ("Threat Actor Profile", "Select TTPs from intelligence and build the emulation plan", 2,
          "investigation", ["pdf"]),
         ("Execution", "Run the plan with OPSEC and a full operator log", 3, "technical", ["log", "zip"]),
         ("Detection Gap Analysis", "Map every step to detections that fired or did not", 3, "technical",
          ["csv", "pdf"]),
         ("Remediation Roadmap", "Prioritised detection engineering backlog", 2, "remediation", ["pdf"]),
         ("Executive Debrief", "Present findings to leadership", 2, "communication", ["mp4", "pdf"])],
     "decisions": [
         (2, "noise_level", [("low_slow", "Low and slow"), ("burst", "Burst to test response")], "low_slow",
          "The actor emulated is known for patient, low-volume operations.")]},
    {"code": "GRC-MAST-001", "track": "GRC_5", "type": "advanced",
     "title": "Enterprise Risk Assessment for a Payment Processor",
     "description": "Run a quantitative risk assessment for a card processor preparing for PCI DSS 4.0 and "
                    "present a treatment plan the board can fund.",
     "tags": ["Risk Management", "PCI DSS", "FAIR", "Board Reporting"],
     "subtasks": [
         ("Asset and Threat Inventory", "Crown jewels, threat scenarios and control inventory", 2,
          "governance", ["xlsx", "pdf"]),
         ("Risk Quantification", "FAIR-style loss estimates for the top scenarios", 3, "governance",
          ["xlsx"]),
         ("Treatment Decision", "Accept, mitigate, transfer or avoid for each top risk", 2, "decision",
          ["pdf"]),
         ("Board Paper", "Two-page paper with the funding ask", 2, "communication", ["pdf"])],
     "decisions": [
         (3, "legacy_switch_risk", [("accept", "Accept the legacy switch risk"),
                                    ("transfer", "Transfer via cyber insurance"),
                                    ("mitigate", "Segment and replace within 2 quarters")], "mitigate",
          "The loss exposure exceeds the insurer's sub-limit; mitigation is cheapest per risk reduced.")]},
    {"code": "GRC-MAST-002", "track": "GRC_5", "type": "advanced",
     "title": "Third-Party Vendor Breach Response",
     "description": "A payroll SaaS vendor discloses a breach affecting your employees' data. Lead the "
                    "third-party response, regulatory analysis and contract remediation.",
     "tags": ["Third-Party Risk", "GDPR", "Incident Response", "Contracts"],
     "subtasks": [
         ("Impact Analysis", "Which data, which people, which jurisdictions", 2, "investigation", ["pdf"]),
         ("Regulatory Assessment", "Notification duties and deadlines per regulator", 3, "governance",
          ["pdf"]),
         ("Vendor Remediation", "Contract clauses, audit rights and exit plan", 2, "remediation", ["docx"])],
     "decisions": [
         (2, "notify_staff", [("now", "Notify employees now"), ("wait_vendor", "Wait for the vendor's report")],
          "now", "High risk to individuals triggers direct notification without undue delay.")]},
    {"code": "GRC-MAST-003", "track": "GRC_5", "type": "capstone",
     "title": "ISO 27001 Readiness Programme",
     "description": "Take a 600-person fintech from no ISMS to certification readiness in two quarters.",
     "tags": ["ISO 27001", "ISMS", "Audit", "Programme Management"],
     "subtasks": [
         ("Gap Assessment", "Annex A gap analysis with evidence", 2, "governance", ["xlsx"]),
         ("Scope and Statement of Applicability", "Justified scope and SoA", 2, "governance", ["pdf"]),
         ("Risk Treatment Plan", "Owners, budget and timeline", 3, "remediation", ["xlsx", "pdf"]),
         ("Internal Audit", "Audit plan and findings", 2, "investigation", ["pdf"]),
         ("Management Review", "Present readiness to the executive committee", 2, "communication",
          ["mp4", "pdf"])],
     "decisions": [
         (2, "scope_choice", [("whole_org", "Whole organisation"), ("product_only", "Payments product only")],
          "product_only", "A focused first scope reaches certification sooner; expand at surveillance.")]},
    {"code": "INN-MAST-001", "track": "INNOVATION_5", "type": "advanced",
     "title": "Detection-as-Code Pipeline",
     "description": "Build a CI pipeline that tests, versions and deploys detection rules with replayable "
                    "attack data and coverage reporting.",
     "tags": ["Detection Engineering", "CI/CD", "Sigma", "Automation"],
     "subtasks": [
         ("Rule Repository Design", "Layout, metadata and review workflow", 2, "innovation", ["md"]),
         ("Test Harness", "Replay attack telemetry against each rule", 3, "innovation", ["py", "log"]),
         ("Deployment and Rollback", "Safe deployment to the SIEM", 2, "technical", ["yml"]),
         ("Coverage Report", "ATT&CK coverage and false-positive budget", 2, "communication", ["pdf", "png"])],
     "decisions": [
         (2, "test_data", [("synthetic", "Synthetic events"), ("replayed", "Replayed real telemetry")],
          "replayed", "Synthetic events hide parsing bugs that real telemetry exposes.")]},
    {"code": "INN-MAST-002", "track": "INNOVATION_5", "type": "advanced",
     "title": "ML-Assisted Phishing Triage Prototype",
     "description": "Prototype a model that ranks user-reported emails for the SOC and evaluate it honestly.",
     "tags": ["Machine Learning", "Phishing", "SOC Automation"],
     "subtasks": [
         ("Data Preparation", "Labelled corpus with privacy safeguards", 2, "innovation", ["py", "csv"]),
         ("Model and Evaluation", "Baseline, model, precision/recall at SOC capacity", 3, "innovation",
          ["py", "pdf"]),
         ("Deployment Proposal", "Human-in-the-loop workflow and risks", 2, "decision", ["pdf"])],
     "decisions": [
         (3, "automation_level", [("auto_close", "Auto-close low scores"),
                                  ("rank_only", "Rank only, analysts decide")], "rank_only",
          "At the measured recall, auto-closing would have dropped two real phishes a week.")]},
    {"code": "INN-MAST-003", "track": "INNOVATION_5", "type": "capstone",
     "title": "Deception Grid Design",
     "description": "Design, deploy and evaluate a deception grid (honeytokens, decoy hosts) for a hybrid "
                    "estate and present the business case.",
     "tags": ["Deception", "Threat Detection", "Architecture"],
     "subtasks": [
         ("Threat-Led Placement", "Where attackers will look, and why", 2, "investigation", ["pdf", "png"]),
         ("Build", "Decoys and tokens as code", 3, "innovation", ["zip", "py"]),
         ("Evaluation", "Red team exercise against the grid", 3, "technical", ["log", "pdf"]),
         ("Business Case", "Cost, alert fidelity and roadmap", 2, "communication", ["mp4", "pdf"])],
     "decisions": [
         (1, "decoy_fidelity", [("high", "High-interaction decoys"), ("low", "Low-interaction decoys")], "low",
          "Low-interaction decoys give the same alert fidelity at a fraction of the risk.")]},
    {"code": "LEAD-MAST-001", "track": "LEADERSHIP_5", "type": "advanced",
     "title": "Major Incident Command",
     "description": "Act as incident commander for a 36-hour outage caused by a supply-chain compromise; run "
                    "the bridge, the comms and the post-incident review.",
     "tags": ["Incident Command", "Crisis Communication", "Post-Incident Review"],
     "subtasks": [
         ("Bridge Set-up", "Roles, cadence and decision log", 2, "leadership", ["pdf"]),
         ("Crisis Communications", "Customer, regulator and staff messages", 2, "communication", ["pdf"]),
         ("Recovery Decisions", "Restore order under pressure", 3, "decision", ["pdf"]),
         ("Post-Incident Review", "Blameless review with tracked actions", 2, "leadership", ["pdf"])],
     "decisions": [
         (3, "restore_order", [("revenue_first", "Restore revenue systems first"),
                               ("identity_first", "Restore identity and logging first")], "identity_first",
          "Without trusted identity and logging, restored systems may be re-compromised unseen.")]},
    {"code": "LEAD-MAST-002", "track": "LEADERSHIP_5", "type": "advanced",
     "title": "Security Programme Budget Defence",
     "description": "Defend next year's security budget against a 20% cut, with a risk-based prioritisation "
                    "the CFO can follow.",
     "tags": ["Budgeting", "Risk Communication", "Executive Influence"],
     "subtasks": [
         ("Portfolio Review", "Map spend to risks reduced", 3, "governance", ["xlsx"]),
         ("Cut Scenarios", "What a 20% cut removes, in risk terms", 2, "decision", ["pdf"]),
         ("CFO Pitch", "Ten-minute pitch with the ask", 2, "communication", ["mp4", "pdf"])],
     "decisions": [
         (2, "cut_target", [("training", "Cut awareness training"), ("tools", "Consolidate overlapping tools")],
          "tools", "Tool consolidation removes spend with little loss of coverage.")]},
    {"code": "LEAD-MAST-003", "track": "LEADERSHIP_5", "type": "capstone",
     "title": "Building a 24/7 SOC",
     "description": "Design the operating model, staffing, tooling and metrics for a follow-the-sun SOC and "
                    "present the plan to the board.",
     "tags": ["SOC Design", "Operating Model", "Metrics", "Hiring"],
     "subtasks": [
         ("Operating Model", "In-house, hybrid or MSSP, with rationale", 2, "decision", ["pdf"]),
         ("Staffing Plan", "Shifts, tiers, career paths and burnout controls", 2, "leadership", ["xlsx"]),
         ("Tooling Architecture", "SIEM, SOAR, case management", 2, "technical", ["png", "pdf"]),
         ("Metrics", "MTTD/MTTR and quality metrics that resist gaming", 2, "governance", ["pdf"]),
         ("Budget", "Three-year cost model", 1, "governance", ["xlsx"]),
         ("Board Presentation", "Present and defend the plan", 2, "communication", ["mp4"])],
     "decisions": [
         (1, "model", [("inhouse", "Fully in-house"), ("hybrid", "Hybrid with MSSP nights")], "hybrid",
          "Hybrid covers nights from day one while the in-house team is hired and trained.")]},
]


def stable_uuid(*parts: object) -> str:
    """Deterministic ids, so one seed always produces the same database."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def rubric_id(key: str) -> str:
    return stable_uuid("rubric", key)


def mission_id(code: str) -> str:
    return stable_uuid("mission", code)


def rubric_document(key: str, version: int) -> dict[str, Any]:
    """The ``GET /rubrics/{id}`` body of one rubric version (version 1 lacks v2's tuned weights)."""
    title, _, criteria = RUBRICS[key]
    rows = []
    for criterion_id, criterion_title, description, weight in criteria:
        rows.append({
            "id": criterion_id, "title": criterion_title, "description": description[0].upper() + description[1:],
            "weight": weight if version > 1 else 1.0,
            "levels": [{"label": label, "points": points, "description": f"The work {verb} {description}."}
                       for label, points, verb in LEVELS],
        })
    return {"id": rubric_id(key), "version": version, "title": title, "scale": {"min": 0, "max": 4},
            "pass_threshold": 70, "criteria": rows}


def current_rubric(key: str) -> dict[str, Any]:
    return rubric_document(key, RUBRICS[key][1])


def mission_document(spec: dict[str, Any]) -> dict[str, Any]:
    """Everything the sandbox stores about one mission (MissionSerializer fields plus layer B extras)."""
    subtasks = []
    for index, (title, description, weight, rubric_key, file_types) in enumerate(spec["subtasks"], start=1):
        subtask: dict[str, Any] = {
            "id": index, "title": title, "description": description, "order_index": index,
            "estimated_minutes": 120 + 60 * (index % 4), "weight": weight, "rubric_id": rubric_id(rubric_key),
            "evidence_schema": {"required": True, "file_types": file_types, "max_files": 5,
                                "description": f"Evidence for: {title.lower()}"},
        }
        if index > 1:
            subtask["dependencies"] = [index - 1]
        subtasks.append(subtask)
    branching: dict[str, Any] = {}
    ideal: dict[str, Any] = {}
    for subtask_id, decision_id, choices, ideal_choice, rationale in spec["decisions"]:
        branching[str(subtask_id)] = {
            "decision_id": decision_id,
            "choices": [{"id": cid, "label": label,
                         "consequences": {"risk": "low" if cid == ideal_choice else "high"}}
                        for cid, label in choices],
        }
        ideal[str(subtask_id)] = {"decision_id": decision_id, "choice_id": ideal_choice, "rationale": rationale}
    return {
        "id": mission_id(spec["code"]), "code": spec["code"], "title": spec["title"],
        "description": spec["description"], "track_code": spec["track"],
        "track": spec["track"].split("_")[0].lower(), "tier": "mastery", "difficulty": 5,
        "mission_type": spec["type"], "skills_tags": spec["tags"], "subtasks": subtasks,
        "branching_paths": branching, "ideal_path": ideal,
        "templates": [{"name": "Report template", "url": f"/templates/{spec['code'].lower()}-report.docx"}],
        "estimated_duration_min": sum(s["estimated_minutes"] for s in subtasks),
        "presentation_required": spec["type"] == "capstone",
    }
