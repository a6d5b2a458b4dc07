from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.answer_state import AnswerState
from ..models.answerer import Answerer
from ..models.finish_reason import FinishReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.citation import Citation


T = TypeVar("T", bound="ChatMessage")


@_attrs_define
class ChatMessage:
    """A question and its answer, as kept.

    Attributes:
        answer (str):
        answerer (Answerer): Who wrote an answer.
        citations (list[Citation]):
        created_at_ms (int):
        id (str):
        question (str):
        state (AnswerState): Where an answer stands.
        completed_ms (int | None | Unset): Milliseconds from the question to the whole answer.
        finish_reason (FinishReason | None | Unset):
        first_delta_ms (int | None | Unset): Milliseconds from the question to the first piece of the answer.
    """

    answer: str
    answerer: Answerer
    citations: list[Citation]
    created_at_ms: int
    id: str
    question: str
    state: AnswerState
    completed_ms: int | None | Unset = UNSET
    finish_reason: FinishReason | None | Unset = UNSET
    first_delta_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answer = self.answer

        answerer = self.answerer.value

        citations = []
        for citations_item_data in self.citations:
            citations_item = citations_item_data.to_dict()
            citations.append(citations_item)

        created_at_ms = self.created_at_ms

        id = self.id

        question = self.question

        state = self.state.value

        completed_ms: int | None | Unset
        if isinstance(self.completed_ms, Unset):
            completed_ms = UNSET
        else:
            completed_ms = self.completed_ms

        finish_reason: None | str | Unset
        if isinstance(self.finish_reason, Unset):
            finish_reason = UNSET
        elif isinstance(self.finish_reason, FinishReason):
            finish_reason = self.finish_reason.value
        else:
            finish_reason = self.finish_reason

        first_delta_ms: int | None | Unset
        if isinstance(self.first_delta_ms, Unset):
            first_delta_ms = UNSET
        else:
            first_delta_ms = self.first_delta_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answer": answer,
                "answerer": answerer,
                "citations": citations,
                "created_at_ms": created_at_ms,
                "id": id,
                "question": question,
                "state": state,
            }
        )
        if completed_ms is not UNSET:
            field_dict["completed_ms"] = completed_ms
        if finish_reason is not UNSET:
            field_dict["finish_reason"] = finish_reason
        if first_delta_ms is not UNSET:
            field_dict["first_delta_ms"] = first_delta_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.citation import Citation

        d = dict(src_dict)
        answer = d.pop("answer")

        answerer = Answerer(d.pop("answerer"))

        citations = []
        _citations = d.pop("citations")
        for citations_item_data in _citations:
            citations_item = Citation.from_dict(citations_item_data)

            citations.append(citations_item)

        created_at_ms = d.pop("created_at_ms")

        id = d.pop("id")

        question = d.pop("question")

        state = AnswerState(d.pop("state"))

        def _parse_completed_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_ms = _parse_completed_ms(d.pop("completed_ms", UNSET))

        def _parse_finish_reason(data: object) -> FinishReason | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finish_reason_type_1 = FinishReason(data)

                return finish_reason_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FinishReason | None | Unset, data)

        finish_reason = _parse_finish_reason(d.pop("finish_reason", UNSET))

        def _parse_first_delta_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        first_delta_ms = _parse_first_delta_ms(d.pop("first_delta_ms", UNSET))

        chat_message = cls(
            answer=answer,
            answerer=answerer,
            citations=citations,
            created_at_ms=created_at_ms,
            id=id,
            question=question,
            state=state,
            completed_ms=completed_ms,
            finish_reason=finish_reason,
            first_delta_ms=first_delta_ms,
        )

        chat_message.additional_properties = d
        return chat_message

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
