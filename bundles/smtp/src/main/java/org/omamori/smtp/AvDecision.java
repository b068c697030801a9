package org.omamori.smtp;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;

/**
 * What the antivirus' results for a mail's parts mean for it: refused (554), deferred (451, a
 * part could not be scanned and the failure policy is closed), or delivered with a notice in
 * place of each infected part; and the events, with the verdict as the intake enforced it.
 *
 * @param refusal the answer when the mail is not delivered, else null
 * @param notices the notice text per replaced entity number
 * @param events  the events to publish with the final answer
 */
record AvDecision(Reply refusal, Map<Integer, String> notices, List<Event> events) {

    static AvDecision of(MimeWalk.Outcome<PipelineResult> outcome, SmtpSettings settings, InspectionRequest request,
                         EventFactory factory, ZonedDateTime now) {
        Map<Integer, String> notices = new HashMap<>();
        List<Event> found = new ArrayList<>();
        boolean unscannedBlock = false;
        List<MimeWalk.Part<PipelineResult>> infected = new ArrayList<>();
        for (MimeWalk.Part<PipelineResult> part : outcome.parts()) {
            Verdict v = part.result().verdict();
            if (v.action() == Action.BLOCK) {
                if (v.finding().map(Finding::evidence).orElse(Evidence.NONE).equals(Evidence.UNSCANNED)) {
                    unscannedBlock = true;
                } else {
                    infected.add(part);
                }
            } else if (v.action() == Action.NEUTRALISE) {
                infected.add(part);
            }
        }
        boolean refuse = !infected.isEmpty() && settings.infected() == InfectedAction.REFUSE;
        int leaf = 0;
        for (MimeWalk.Part<PipelineResult> part : outcome.parts()) {
            leaf++;
            String where = "attachment " + leaf + " (" + part.mimeType() + ")";
            PipelineResult result = part.result();
            if (infected.contains(part)) {
                String signature = result.verdict().finding().map(Finding::ruleName).orElse("?");
                if (refuse) {
                    result = relabel(result, Action.BLOCK, "infected: " + signature + " in " + where + "; mail refused with 554");
                } else {
                    result = relabel(result, Action.NEUTRALISE, "infected: " + signature + " in " + where
                            + "; attachment replaced by the notice, mail delivered");
                    notices.put(part.entity(), MailNotice.text(part.filename(), signature, settings.brand(), settings.contact(), now));
                }
            }
            found.addAll(factory.of(request, result, false));
        }
        if (unscannedBlock) {
            return new AvDecision(Reply.of(451, "4.7.0", "The mail could not be scanned for viruses now; try again later"),
                    Map.of(), List.of());
        }
        if (refuse) {
            return new AvDecision(Reply.of(554, "5.7.1", "Message refused: a virus was found in an attachment"), Map.of(), found);
        }
        return new AvDecision(null, notices, found);
    }

    /** The engine results with the enforcing verdict as the intake enforced it, for the events. */
    static PipelineResult relabel(PipelineResult result, Action action, String note) {
        List<EngineResult> list = new ArrayList<>();
        for (EngineResult e : result.results()) {
            Verdict v = e.verdict();
            if (v.intervenes() && v.finding().isPresent() && !v.finding().get().evidence().equals(Evidence.UNSCANNED)) {
                Verdict enforced = (action == Action.BLOCK ? Verdict.block(v.finding().get()) : Verdict.neutralise(v.finding().get()))
                        .withNote(note);
                list.add(new EngineResult(e.engine(), e.outcome(), enforced, e.error(), e.elapsed()));
            } else {
                list.add(e);
            }
        }
        return new PipelineResult(result.verdict(), list);
    }
}
